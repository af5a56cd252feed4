import type { Sql } from '../db/client.ts';
import type { CustomerMessageRow } from '../refunds/refunds.repository.ts';

/** The customer's notices (customer_messages, written by refunds): the inbox reads them. Queries only. */
export interface NoticeRow extends CustomerMessageRow {
  read_at: Date | null;
}

export const countUnreadNotices = async (sql: Sql, userId: number) =>
  Number(
    (
      await sql.query<{ n: number }>(
        'SELECT count(*) AS n FROM customer_messages WHERE user_id = $1 AND read_at IS NULL',
        [userId],
      )
    )[0]?.n ?? 0,
  );

export const listNotices = (sql: Sql, userId: number, limit: number) =>
  sql.query<NoticeRow>(
    `SELECT id, kind, order_no, refund_no, amount, currency, note, created_at, read_at
     FROM customer_messages WHERE user_id = $1 ORDER BY id DESC LIMIT $2`,
    [userId, limit],
  );

/** Marks the notices the customer was shown as read; those that arrived meanwhile stay unread. */
export const markNoticesRead = (sql: Sql, userId: number, upToId: number, at: Date) =>
  sql.query('UPDATE customer_messages SET read_at = $3 WHERE user_id = $1 AND id <= $2 AND read_at IS NULL', [
    userId,
    upToId,
    at,
  ]);
