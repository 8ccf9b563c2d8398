import { randomUUID } from 'node:crypto';
import fastifyHelmet, { FastifyHelmetOptions } from '@fastify/helmet';
import { FastifyInstance } from 'fastify';
import { LedgerMetrics } from '@loyalty/platform';
import { ApiError } from './api-error';
import type { RouteTemplates } from './http-logging';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
/**
 * Objects and arrays a request body may nest, the body itself counting as 1.
 * The deepest valid body (a program's offer criteria) nests about 15; past
 * the limit, the recursive copies and checks that follow could run out of stack.
 */
export const JSON_DEPTH_MAX = 32;

/** A caller's x-request-id is kept when well-formed, so logs correlate across services; otherwise a new one. */
export function requestId(request: { headers: Record<string, string | string[] | undefined> }): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

/** API responses are data for programs: no sniffing, no framing, no caching, no referrer, nothing to load. */
const API_SECURITY_HEADERS: FastifyHelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
};
/**
 * Pages (docs, dashboard) load their own scripts and styles, nothing from
 * elsewhere. Helmet writes its headers before the handler runs, so a route
 * that declares its own, stricter policy (the dashboard's) keeps it.
 */
const PAGE_SECURITY_HEADERS: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'unsafe-inline'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      frameAncestors: ["'none'"],
    },
  },
};
const isPageRoute = (url: string | undefined) => url !== undefined && (url.startsWith('/docs') || url.startsWith('/dashboard'));

/**
 * Per request: the id echoed back, security headers (@fastify/helmet; the
 * page policy on page routes), a latency observation by route template, and
 * the route template for the access log (which logs
 * templates, never URLs, so no member id or query value reaches it).
 */
export async function installHttpHooks(fastify: FastifyInstance, metrics: LedgerMetrics, routes: RouteTemplates): Promise<void> {
  // Ahead of helmet's own, which reads the route's policy, and loaded before any route is added (docs, controllers).
  fastify.addHook('onRoute', (route) => {
    if (isPageRoute(route.url)) route.helmet = PAGE_SECURITY_HEADERS;
  });
  await fastify.register(fastifyHelmet, API_SECURITY_HEADERS);
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    if (!isPageRoute(request.routeOptions.url)) void reply.header('cache-control', 'no-store');
    routes.remember(request.raw, request.routeOptions.url ?? 'unmatched');
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    if (jsonDepth(request.body, JSON_DEPTH_MAX) <= JSON_DEPTH_MAX) return done();
    done(
      new ApiError(400, 'BODY_TOO_DEEP', `the request body nests objects and arrays deeper than ${JSON_DEPTH_MAX}`, {
        depthMax: JSON_DEPTH_MAX,
      }),
    );
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, seconds);
  });
}

/** How deep a parsed JSON value nests, walked with a stack of its own (never the call stack); stops once past `limit`. */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return deepest;
}
