import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../lib/log.ts';
import type { AppEnv } from './env.ts';

/** One registry per app (never the global one), so tests and several apps in a process stay apart. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpRequests = new Counter({
    name: 'mallpay_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'mallpay_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const notifications = new Counter({
    name: 'mallpay_notifications_total',
    help: 'Provider notifications by provider and outcome',
    labelNames: ['provider', 'outcome'] as const,
    registers: [registry],
  });
  const refusedNotifications = new Counter({
    name: 'mallpay_notifications_refused_total',
    help: 'Notifications refused unread and unrecorded: payload_too_large, rate_limited (per address)',
    labelNames: ['provider', 'reason'] as const,
    registers: [registry],
  });
  return { registry, httpRequests, httpDuration, notifications, refusedNotifications };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** A request id (echoed in `x-request-id`), a child logger per request and the HTTP metrics. */
export function observe(log: Logger, metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('log', log.child({ requestId }));
    const started = performance.now();
    await next();
    const route = routePath(c) || 'unmatched';
    const seconds = (performance.now() - started) / 1000;
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.httpDuration.observe({ method: c.req.method, route }, seconds);
    c.res.headers.set('x-request-id', requestId);
    c.get('log').info(
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(seconds * 1000) },
      'request',
    );
  };
}
