export type Role = 'customer' | 'support' | 'admin';
export const STAFF_ROLES: readonly Role[] = ['support', 'admin'];

export interface User {
  id: number;
  email: string;
  role: Role;
}

export const isStaff = (user: User) => STAFF_ROLES.includes(user.role);

/** Sessions last a working day; the token itself is never stored, only its SHA-256. */
export const SESSION_TTL_MS = 12 * 3600_000;
export const SESSION_COOKIE = 'mallpay_session';

/**
 * The session cookie lives as long as the session, counted by the browser from when it gets it (Max-Age,
 * not Expires): a browser whose clock differs from the server's still keeps it. The server checks expiry.
 */
export const sessionCookieOptions = (secure: boolean) =>
  ({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: Math.floor(SESSION_TTL_MS / 1000), secure }) as const;
