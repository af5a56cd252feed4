import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { isStaff, SESSION_COOKIE, type Role, type User } from '../accounts/accounts.ts';
import type { AccountsService } from '../accounts/accounts.service.ts';
import { AppError } from '../lib/errors.ts';
import type { AppEnv } from './env.ts';

/** The session token from `Authorization: Bearer …`, else from the session cookie. */
export function sessionToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header) return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
  return getCookie(c, SESSION_COOKIE);
}

/** Resolves the caller, if any; routes then demand what they need. A bad token is treated as none. */
export function authenticate(accounts: AccountsService): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = sessionToken(c);
    c.set('user', token ? await accounts.authenticate(token) : undefined);
    await next();
  };
}

export function requireUser(c: Context<AppEnv>): User {
  const user = c.get('user');
  if (!user) throw new AppError('unauthenticated', 'log in first');
  return user;
}

export function requireRole(c: Context<AppEnv>, ...roles: Role[]): User {
  const user = requireUser(c);
  if (!roles.includes(user.role)) throw new AppError('forbidden', 'not allowed for your role');
  return user;
}

export function requireStaff(c: Context<AppEnv>): User {
  const user = requireUser(c);
  if (!isStaff(user)) throw new AppError('forbidden', 'staff only');
  return user;
}
