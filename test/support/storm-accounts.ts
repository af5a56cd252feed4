import { createHash, randomBytes } from 'node:crypto';
import { insertSession, insertUser } from '../../src/accounts/accounts.repository.ts';
import { SESSION_TTL_MS } from '../../src/accounts/accounts.ts';
import type { Db } from '../../src/db/client.ts';

/**
 * The storm's shoppers: `count` customer accounts, each with a session made here. One account for every
 * customer at once would place their orders one at a time (the hold check locks the customer's row), which
 * measured the lock, not the system. Sessions are written, not logged in for: `count` scrypt checks would
 * cost seconds of CPU and test nothing the login tests do not. Answers one bearer token per account.
 */
export async function stormCustomers(db: Db, count: number): Promise<string[]> {
  // Nobody logs in with it: a hash of random bytes, in the scheme's shape, that no password matches.
  const unusable = `scrypt$32768$8$1$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`;
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const user = await insertUser(db, `storm-${i}@storm.test`, unusable, 'customer');
    if (!user) throw new Error(`storm customer ${i} exists already`);
    const token = randomBytes(32).toString('base64url');
    await insertSession(db, createHash('sha256').update(token).digest('hex'), user.id, expiresAt);
    tokens.push(token);
  }
  return tokens;
}
