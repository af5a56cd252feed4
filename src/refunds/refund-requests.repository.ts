import type { Sql } from '../db/client.ts';

/** One request sent to a provider for a refund (refund_requests; migration 016 says why there can be several). */
export type RefundRequestStatus = 'live' | 'succeeded' | 'failed' | 'not_found';
export interface RefundRequestRow {
  id: number;
  refund_id: number;
  request_no: string;
  sent_at: Date;
  status: RefundRequestStatus;
  finished_at: Date | null;
}

/**
 * Saves a request before it is sent. Undefined when the refund already has a live one: at most one request
 * per refund is ever in flight (refund_requests_one_live_idx), however many drivers race.
 */
export const insertRequest = async (sql: Sql, r: { refundId: number; requestNo: string; sentAt: Date }) =>
  (
    await sql.query<RefundRequestRow>(
      `INSERT INTO refund_requests (refund_id, request_no, sent_at) VALUES ($1, $2, $3)
       ON CONFLICT (refund_id) WHERE status = 'live' DO NOTHING RETURNING *`,
      [r.refundId, r.requestNo, r.sentAt],
    )
  )[0];

export const findLiveRequest = async (sql: Sql, refundId: number) =>
  (
    await sql.query<RefundRequestRow>(`SELECT * FROM refund_requests WHERE refund_id = $1 AND status = 'live'`, [
      refundId,
    ])
  )[0];

/** The request a provider's answer names, by the number we sent (any of a refund's numbers), with its refund's. */
export const findRequest = async (sql: Sql, requestNo: string) =>
  (
    await sql.query<RefundRequestRow & { refund_no: string }>(
      `SELECT q.*, r.refund_no FROM refund_requests q JOIN refunds r ON r.id = q.refund_id WHERE q.request_no = $1`,
      [requestNo],
    )
  )[0];

/** The request that speaks for a refund at its provider now: the one that succeeded, else the live one, else the latest. */
export const findCurrentRequest = async (sql: Sql, refundId: number) =>
  (
    await sql.query<RefundRequestRow>(
      `SELECT * FROM refund_requests WHERE refund_id = $1
       ORDER BY status = 'succeeded' DESC, status = 'live' DESC, id DESC LIMIT 1`,
      [refundId],
    )
  )[0];

/** The live requests of an attempt's refunds at the provider (a refund notice that names no refund). */
export const liveRequestsOfPayment = (sql: Sql, paymentNo: string) =>
  sql.query<RefundRequestRow & { refund_no: string }>(
    `SELECT q.*, r.refund_no FROM refunds r JOIN payments p ON p.id = r.payment_id
     JOIN refund_requests q ON q.refund_id = r.id AND q.status = 'live'
     WHERE p.payment_no = $1 AND r.status = 'processing'`,
    [paymentNo],
  );

export const listRequests = (sql: Sql, refundId: number) =>
  sql.query<RefundRequestRow>('SELECT * FROM refund_requests WHERE refund_id = $1 ORDER BY id', [refundId]);

export const countRequests = async (sql: Sql, refundId: number) =>
  (
    await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM refund_requests WHERE refund_id = $1', [refundId])
  )[0]!.n;

/** Ends the live request with the provider's verdict; false when it was no longer live (applied already). */
export const finishRequest = async (
  sql: Sql,
  id: number,
  status: Exclude<RefundRequestStatus, 'live'>,
  at: Date,
): Promise<boolean> =>
  (
    await sql.query(
      `UPDATE refund_requests SET status = $2, finished_at = $3 WHERE id = $1 AND status = 'live' RETURNING id`,
      [id, status, at],
    )
  ).length === 1;
