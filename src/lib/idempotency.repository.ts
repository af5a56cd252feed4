import type { Sql } from '../db/client.ts';

export interface IdempotencyKey {
  userId: number;
  scope: string;
  key: string;
}

/** Claims the key for this request; false when it was claimed before (by the first of concurrent repeats). */
export const claimKey = async (sql: Sql, k: IdempotencyKey, requestHash: string) =>
  (
    await sql.query(
      `INSERT INTO idempotency_keys (user_id, scope, key, request_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING key`,
      [k.userId, k.scope, k.key, requestHash],
    )
  ).length === 1;

export const findKey = async <T>(sql: Sql, k: IdempotencyKey) =>
  (
    await sql.query<{ request_hash: string; response_code: number; response_body: T }>(
      'SELECT request_hash, response_code, response_body FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3',
      [k.userId, k.scope, k.key],
    )
  )[0];

export const saveResponse = (sql: Sql, k: IdempotencyKey, status: number, body: unknown) =>
  sql.query(
    'UPDATE idempotency_keys SET response_code = $1, response_body = $2 WHERE user_id = $3 AND scope = $4 AND key = $5',
    [status, JSON.stringify(body), k.userId, k.scope, k.key],
  );
