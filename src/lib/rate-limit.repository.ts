import type { Sql } from '../db/client.ts';

/** One more request in the key's window; answers the window's count so far. */
export const countRequest = async (sql: Sql, key: string, windowStart: Date) =>
  (
    await sql.query<{ count: number }>(
      `INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1 RETURNING count`,
      [key, windowStart],
    )
  )[0]!.count;

export const deleteWindowsBefore = (sql: Sql, before: Date) =>
  sql.query('DELETE FROM rate_limits WHERE window_start < $1', [before]);

/** The events counted so far in one window (0 when none). */
export const countInWindow = async (sql: Sql, key: string, windowStart: Date): Promise<number> =>
  Number(
    (
      await sql.query<{ count: number }>('SELECT count FROM rate_limits WHERE key = $1 AND window_start = $2', [
        key,
        windowStart,
      ])
    )[0]?.count ?? 0,
  );
