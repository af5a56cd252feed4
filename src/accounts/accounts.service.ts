import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import type { Limits, RateLimiter } from '../lib/rate-limit.ts';
import { SESSION_TTL_MS, type Role, type User } from './accounts.ts';
import * as repo from './accounts.repository.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.ts';

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Counting a failure that itself reaches the limit still answers invalid_credentials; other errors pass. */
const onlyRateLimited = (err: unknown) => {
  if (!(err instanceof AppError) || err.code !== 'rate_limited') throw err;
};

export function createAccountsService(deps: { db: Db; clock: Clock; limiter?: RateLimiter; limits?: Limits }) {
  const { db, clock } = deps;
  return {
    async register(email: string, password: string, role: Role): Promise<User | undefined> {
      return repo.insertUser(db, email.toLowerCase(), await hashPassword(password), role);
    },

    /** Guessing is slowed per address and per account (both pages and API log in here). */
    async login(
      email: string,
      password: string,
      clientIp = 'unknown',
    ): Promise<{ token: string; user: User; expiresAt: Date }> {
      // Only failed logins count: someone switching demo roles, or logging in on several devices, is
      // never locked out; a guesser is stopped once the failures reach the limit.
      const limited = deps.limiter && deps.limits ? { limiter: deps.limiter, limits: deps.limits } : undefined;
      const ipKey = `login-ip:${clientIp}`;
      const accountKey = `login-account:${email.toLowerCase()}`;
      if (limited) {
        await limited.limiter.peek(ipKey, limited.limits.loginPerAddress);
        await limited.limiter.peek(accountKey, limited.limits.loginPerAccount);
      }
      const found = await repo.findUserByEmail(db, email.toLowerCase());
      const ok = await verifyPassword(password, found?.password_hash ?? DUMMY_HASH);
      if (!found || !ok) {
        if (limited) {
          await limited.limiter.check(ipKey, limited.limits.loginPerAddress).catch(onlyRateLimited);
          await limited.limiter.check(accountKey, limited.limits.loginPerAccount).catch(onlyRateLimited);
        }
        throw new AppError('invalid_credentials', 'e-mail or password is wrong');
      }
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(clock.now().getTime() + SESSION_TTL_MS);
      await repo.insertSession(db, tokenHash(token), found.id, expiresAt);
      return { token, user: { id: found.id, email: found.email, role: found.role }, expiresAt };
    },

    /** The user behind a bearer token or session cookie, or undefined when it is unknown or expired. */
    async authenticate(token: string): Promise<User | undefined> {
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
      return repo.findSessionUser(db, tokenHash(token), clock.now());
    },

    async logout(token: string): Promise<void> {
      await repo.deleteSession(db, tokenHash(token));
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
