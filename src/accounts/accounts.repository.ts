import type { Sql } from '../db/client.ts';
import type { Role, User } from './accounts.ts';

export const findUserByEmail = async (sql: Sql, email: string) =>
  (
    await sql.query<User & { password_hash: string }>(
      'SELECT id, email, role, password_hash FROM users WHERE email = $1',
      [email],
    )
  )[0];

export const insertUser = async (sql: Sql, email: string, passwordHash: string, role: Role) =>
  (
    await sql.query<User>(
      'INSERT INTO users (email, password_hash, role) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING RETURNING id, email, role',
      [email, passwordHash, role],
    )
  )[0];

export const insertSession = (sql: Sql, tokenHash: string, userId: number, expiresAt: Date) =>
  sql.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [
    tokenHash,
    userId,
    expiresAt,
  ]);

export const findSessionUser = async (sql: Sql, tokenHash: string, now: Date) =>
  (
    await sql.query<User>(
      'SELECT u.id, u.email, u.role FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2',
      [tokenHash, now],
    )
  )[0];

export const deleteSession = (sql: Sql, tokenHash: string) =>
  sql.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);

/**
 * Locks the user's row for the rest of the transaction: one customer's orders are placed one at a time, so
 * the units they hold unpaid are counted without a race (issue 21.4). Taken before any product row.
 * FOR NO KEY UPDATE, not FOR UPDATE: the rows that reference the user (the order's Idempotency-Key claimed
 * earlier in the same transaction, other orders) hold KEY SHARE on it, which FOR UPDATE waits for; two
 * concurrent orders of one customer then waited on each other (the PostgreSQL storm stalled).
 */
export const lockUser = (sql: Sql, userId: number) =>
  sql.query('SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
