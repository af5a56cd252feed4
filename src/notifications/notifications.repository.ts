import type { Sql } from '../db/client.ts';

export type NotificationOutcome = 'applied' | 'duplicate' | 'rejected';

export interface NotificationRecord {
  provider: string;
  receivedAt: Date;
  outcome: NotificationOutcome;
  reason?: string | undefined;
  message?: string | undefined;
  kind?: string | undefined;
  eventId?: string | undefined;
  outTradeNo?: string | undefined;
  headers: Record<string, string>;
  rawBody: string;
}

/** Records one delivery; answers its id (the result a replay reports). */
export const recordNotification = async (sql: Sql, n: NotificationRecord): Promise<number> =>
  Number(
    (
      await sql.query<{ id: number }>(
        `INSERT INTO notifications (provider, received_at, outcome, reason, message, kind, event_id, out_trade_no, headers, raw_body)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
          n.provider,
          n.receivedAt,
          n.outcome,
          n.reason ?? null,
          n.message ?? null,
          n.kind ?? null,
          n.eventId ?? null,
          n.outTradeNo ?? null,
          JSON.stringify(n.headers),
          n.rawBody,
        ],
      )
    )[0]!.id,
  );

export interface NotificationRow {
  id: number;
  provider: string;
  received_at: Date;
  outcome: NotificationOutcome;
  reason: string | null;
  message: string | null;
  kind: string | null;
  out_trade_no: string | null;
}

export const listNotifications = (sql: Sql, filter: { provider?: string; outTradeNo?: string; limit: number }) =>
  sql.query<NotificationRow>(
    `SELECT id, provider, received_at, outcome, reason, message, kind, out_trade_no FROM notifications
     WHERE ($1::text IS NULL OR provider = $1) AND ($2::text IS NULL OR out_trade_no = $2)
     ORDER BY id DESC LIMIT $3`,
    [filter.provider ?? null, filter.outTradeNo ?? null, filter.limit],
  );

export interface RejectedNotificationRow extends NotificationRow {
  raw_body: string;
  order_no: string | null;
  /** The outcome of the latest later notification with the same body (a replay or the provider's redelivery). */
  later_outcome: NotificationOutcome | null;
}

/** Rejected notifications, newest first, with what became of the same body since (the console's replay list). */
export const listRejectedNotifications = (sql: Sql, filter: { provider?: string | undefined; limit: number }) =>
  sql.query<RejectedNotificationRow>(
    `SELECT n.id, n.provider, n.received_at, n.outcome, n.reason, n.message, n.kind, n.out_trade_no, n.raw_body, o.order_no,
            (SELECT r.outcome FROM notifications r WHERE r.provider = n.provider AND r.raw_body = n.raw_body AND r.id > n.id
             ORDER BY r.id DESC LIMIT 1) AS later_outcome
     FROM notifications n
     LEFT JOIN payments p ON p.payment_no = n.out_trade_no
     LEFT JOIN orders o ON o.id = p.order_id
     WHERE n.outcome = 'rejected' AND ($1::text IS NULL OR n.provider = $1)
     ORDER BY n.id DESC LIMIT $2`,
    [filter.provider ?? null, filter.limit],
  );

export const findNotification = async (sql: Sql, id: number) =>
  (
    await sql.query<NotificationRow>(
      'SELECT id, provider, received_at, outcome, reason, message, kind, out_trade_no FROM notifications WHERE id = $1',
      [id],
    )
  )[0];

/** A delivery as it arrived, for a replay: the provider's headers and the raw body. */
export const findDeliveryForReplay = async (sql: Sql, id: number) =>
  (
    await sql.query<{
      id: number;
      provider: string;
      outcome: string;
      headers: Record<string, string>;
      raw_body: string;
      received_at: Date;
    }>('SELECT id, provider, outcome, headers, raw_body, received_at FROM notifications WHERE id = $1', [id])
  )[0];

/** When these bytes first arrived from this provider (this row or an earlier copy of it). */
export const firstArrivalOf = async (sql: Sql, n: { id: number; provider: string; raw_body: string }) => {
  const [first] = await sql.query<{ at: Date | null }>(
    'SELECT min(received_at) AS at FROM notifications WHERE provider = $1 AND raw_body = $2 AND id <= $3',
    [n.provider, n.raw_body, n.id],
  );
  return first?.at ? new Date(first.at) : undefined;
};
