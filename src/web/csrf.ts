import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The form field every state-changing page POST must carry. */
export const CSRF_FIELD = '_csrf';
/** Before login there is no session to bind a token to: this random, HttpOnly cookie stands in for it. */
export const PRESESSION_COOKIE = 'mallpay_presession';

/**
 * Anti-forgery tokens: an HMAC of what identifies the browser (its session token, or its pre-session
 * cookie before login) under a secret made at start. A cross-site page can neither read the token nor
 * compute it; it changes with every login, and a restart invalidates open forms, which is acceptable.
 * Several instances behind one address would need a shared secret: pass one in.
 */
export function createCsrf(secret: Buffer = randomBytes(32)) {
  const tokenFor = (binding: string) => createHmac('sha256', secret).update(binding).digest('base64url');
  return {
    tokenFor,
    verify(binding: string | undefined, token: unknown): boolean {
      if (!binding || typeof token !== 'string' || token.length === 0) return false;
      const want = Buffer.from(tokenFor(binding));
      const got = Buffer.from(token);
      return want.length === got.length && timingSafeEqual(want, got);
    },
  };
}

export type Csrf = ReturnType<typeof createCsrf>;
