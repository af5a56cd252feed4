import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError } from '../lib/errors.ts';
import type { AppEnv } from './env.ts';

/** The one error handler: the contract's `{error:{code,message}}`; a 5xx hides its details. */
export function onError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof AppError) {
    const retryAfter = (err.details as { retryAfter?: number } | undefined)?.retryAfter;
    if (err.code === 'rate_limited' && retryAfter) c.header('retry-after', String(retryAfter));
    return c.json(
      { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } },
      err.status as 400,
    );
  }
  if (err instanceof HTTPException && err.status < 500) {
    const code = /json/i.test(err.message) ? 'malformed_json' : 'invalid_request';
    return c.json({ error: { code, message: err.message || 'invalid request' } }, err.status);
  }
  c.get('log')?.error({ err: err.message, stack: err.stack }, 'unhandled error');
  return c.json({ error: { code: 'internal', message: 'internal error', requestId: c.get('requestId') } }, 500);
}

export function notFoundHandler(c: Context<AppEnv>): Response {
  return c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404);
}
