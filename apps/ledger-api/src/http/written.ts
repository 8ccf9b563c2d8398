import { FastifyReply } from 'fastify';

/**
 * The status of every write: 201 when it recorded something, 200 when it
 * recorded nothing (the same request again, answered with the original
 * result, or a configuration identical to the one in force).
 */
export function written<Body>(reply: FastifyReply, created: boolean, body: Body): Body {
  void reply.status(created ? 201 : 200);
  return body;
}
