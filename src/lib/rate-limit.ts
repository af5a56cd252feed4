import type { Db } from '../db/client.ts';
import type { Clock } from './clock.ts';
import { AppError } from './errors.ts';
import { countInWindow, countRequest, deleteWindowsBefore } from './rate-limit.repository.ts';

export interface Limit {
  limit: number;
  windowMs: number;
}

/**
 * A fixed-window counter in the database, so that the limit holds across every instance: one upsert per
 * request. Old windows are deleted now and then by the same statement's caller (see `sweep`).
 */
export function createRateLimiter(deps: { db: Db; clock: Clock }) {
  let lastSweep = 0;
  return {
    /** Throws rate_limited when the current window already holds `limit` counted events; counts nothing. */
    async peek(key: string, rule: Limit): Promise<void> {
      const now = deps.clock.now().getTime();
      const windowStart = new Date(now - (now % rule.windowMs));
      if ((await countInWindow(deps.db, key, windowStart)) >= rule.limit) {
        const retryAfter = Math.ceil((windowStart.getTime() + rule.windowMs - now) / 1000);
        throw new AppError('rate_limited', `too many requests; try again in ${retryAfter} s`, { retryAfter });
      }
    },
    /** Counts one event, and throws rate_limited once the window holds more than `limit`. */
    async check(key: string, rule: Limit): Promise<void> {
      const now = deps.clock.now().getTime();
      const windowStart = new Date(now - (now % rule.windowMs));
      const count = await countRequest(deps.db, key, windowStart);
      if (now - lastSweep > 10 * 60_000) {
        lastSweep = now;
        await deleteWindowsBefore(deps.db, new Date(now - 3600_000));
      }
      if (count > rule.limit) {
        const retryAfter = Math.ceil((windowStart.getTime() + rule.windowMs - now) / 1000);
        throw new AppError('rate_limited', `too many requests; try again in ${retryAfter} s`, { retryAfter });
      }
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** Login: guessing passwords is slowed per address and per account; placing orders per customer. */
export function limitsOf(config: { loginsPerMinute: number; ordersPerMinute: number }) {
  return {
    loginPerAddress: { limit: config.loginsPerMinute, windowMs: 60_000 },
    loginPerAccount: { limit: Math.max(10, Math.ceil(config.loginsPerMinute / 3)), windowMs: 5 * 60_000 },
    ordersPerCustomer: { limit: config.ordersPerMinute, windowMs: 60_000 },
  } satisfies Record<string, Limit>;
}
export type Limits = ReturnType<typeof limitsOf>;
