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

export const recordNotification = (sql: Sql, n: NotificationRecord) =>
  sql.query(
    `INSERT INTO notifications (provider, received_at, outcome, reason, message, kind, event_id, out_trade_no, headers, raw_body)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [n.provider, n.receivedAt, n.outcome, n.reason ?? null, n.message ?? null, n.kind ?? null, n.eventId ?? null, n.outTradeNo ?? null, JSON.stringify(n.headers), n.rawBody],
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
