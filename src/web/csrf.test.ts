import { describe, expect, it } from 'vitest';
import { createCsrf } from './csrf.ts';

describe('anti-forgery tokens', () => {
  const csrf = createCsrf();

  it('accepts the token made for the same session', () => {
    expect(csrf.verify('session-a', csrf.tokenFor('session-a'))).toBe(true);
  });

  it('refuses a missing token, another session’s token, and one made under another secret', () => {
    expect(csrf.verify('session-a', undefined)).toBe(false);
    expect(csrf.verify('session-a', '')).toBe(false);
    expect(csrf.verify('session-a', csrf.tokenFor('session-b'))).toBe(false);
    expect(csrf.verify('session-a', createCsrf().tokenFor('session-a'))).toBe(false);
    expect(csrf.verify(undefined, csrf.tokenFor('session-a'))).toBe(false);
  });
});
