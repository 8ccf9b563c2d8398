import { FastifyInstance } from 'fastify';
import { ApiError } from './api-error';

interface RouteMethods {
  readonly pattern: RegExp;
  /** Path parameters and wildcards: the fewer, the more specific the route. */
  readonly variables: number;
  readonly methods: Set<string>;
}

/** A fastify route url ('/v1/members/:memberId', '/docs/*') as a pattern over request paths. */
function pathPattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * A method a path does not have is 405 with an Allow header (RFC 9110
 * 15.5.6), not the 404 of a path that does not exist. Routes are learnt as
 * they are registered, so this must be installed before the routes are.
 */
export function refuseUnknownMethods(fastify: FastifyInstance): void {
  const routes = new Map<string, RouteMethods>();
  fastify.addHook('onRoute', (route) => {
    const variables = route.url.split('/').filter((segment) => segment === '*' || segment.startsWith(':')).length;
    const entry = routes.get(route.url) ?? { pattern: pathPattern(route.url), variables, methods: new Set<string>() };
    for (const method of [route.method].flat()) entry.methods.add(method.toUpperCase());
    routes.set(route.url, entry);
  });
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (request.routeOptions.url !== undefined) return done();
    const path = request.url.split('?', 1)[0]!;
    const matching = [...routes.values()].filter((r) => r.pattern.test(path));
    if (matching.length === 0) return done();
    // The path as documented: /v1/segments/thresholds is its own path, not a {name} of /v1/segments/{name}.
    const fewest = Math.min(...matching.map((r) => r.variables));
    const allowed = matching.filter((r) => r.variables === fewest).flatMap((r) => [...r.methods]);
    const allow = [...new Set(allowed)].sort().join(', ');
    done(
      new ApiError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed here; allowed: ${allow}`, { allowed: allow }, { allow }),
    );
  });
}
