import type { Sql } from '../db/client.ts';
import type { NoticeKind } from './notice.ts';

/** The notices feature owns customer_messages: it writes them (for refunds), the API and the inbox read them. */
export interface NoticeRow {
  id: number;
  kind: string;
  order_no: string;
  refund_no: string | null;
  amount: number | null;
  currency: string | null;
  note: string | null;
  created_at: Date;
  read_at: Date | null;
}

export const insertNotice = async (
  sql: Sql,
  m: {
    userId: number;
    kind: NoticeKind;
    orderNo: string;
    refundNo: string;
    amount: number;
    currency: string;
    note: string | null;
    at: Date;
  },
) =>
  (
    await sql.query<{ id: number }>(
      'INSERT INTO customer_messages (user_id, kind, order_no, refund_no, amount, currency, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id',
      [m.userId, m.kind, m.orderNo, m.refundNo, m.amount, m.currency, m.note, m.at],
    )
  )[0]!;

export const countUnreadNotices = async (sql: Sql, userId: number) =>
  Number(
    (
      await sql.query<{ n: number }>(
        'SELECT count(*) AS n FROM customer_messages WHERE user_id = $1 AND read_at IS NULL',
        [userId],
      )
    )[0]?.n ?? 0,
  );

/** The customer's notices, newest first. */
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

/** A notice with its customer's e-mail address, for the notice e-mail job. */
export const findNoticeWithEmail = async (sql: Sql, noticeId: number) =>
  (
    await sql.query<{
      email: string;
      kind: string;
      order_no: string;
      refund_no: string;
      amount: number;
      currency: string;
      note: string | null;
    }>(
      `SELECT u.email, m.kind, m.order_no, m.refund_no, m.amount, m.currency, m.note
       FROM customer_messages m JOIN users u ON u.id = m.user_id WHERE m.id = $1`,
      [noticeId],
    )
  )[0];
