import type { Sql } from '../db/client.ts';
import { storableText } from '../lib/text.ts';
import { isUnverified, storedBody } from './stored-body.ts';

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
  /** The sending address (absent for a staff replay). */
  sourceIp?: string | undefined;
}

/**
 * Records one delivery and answers its id (the result a replay reports). What the sender chose (the body, the
 * number and message derived from an unverified body) is stored so that it always fits: the body per
 * stored-body.ts, the texts without NUL and capped.
 */
export const recordNotification = async (sql: Sql, n: NotificationRecord): Promise<number> => {
  const body = storedBody(n.rawBody, n.outcome === 'rejected' && isUnverified(n.reason));
  const [row] = await sql.query<{ id: number }>(
    `INSERT INTO notifications (provider, received_at, outcome, reason, message, kind, event_id, out_trade_no, headers, raw_body,
                                raw_size, body_truncated, body_encoding, source_ip)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
    [
      n.provider,
      n.receivedAt,
      n.outcome,
      storableText(n.reason, 64) ?? null,
      storableText(n.message, 1000) ?? null,
      storableText(n.kind, 32) ?? null,
      storableText(n.eventId, 128) ?? null,
      storableText(n.outTradeNo, 64) ?? null,
      JSON.stringify(n.headers),
      body.body,
      body.size,
      body.truncated,
      body.encoding,
      n.sourceIp ?? null,
    ],
  );
  return Number(row!.id);
};

/** Unverifiable notifications from one address since a moment (the per-address limit). */
export const countUnverifiedFrom = async (sql: Sql, sourceIp: string, since: Date) =>
  Number(
    (
      await sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notifications
         WHERE source_ip = $1 AND received_at >= $2 AND reason IN ('bad_signature', 'malformed', 'probe')`,
        [sourceIp, since],
      )
    )[0]?.n ?? 0,
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
  /** The first PREVIEW_CHARS of the stored body (base64 when body_encoding says so), never all of it. */
  preview: string;
  body_encoding: string;
  raw_size: number | null;
  body_truncated: boolean;
  source_ip: string | null;
  order_no: string | null;
  /** The outcome of the latest later notification with the same body (a replay or the provider's redelivery). */
  later_outcome: NotificationOutcome | null;
}

/** How much of each body the rejected list reads: a multiple of 4, so a base64 preview decodes. */
export const PREVIEW_CHARS = 400;

/**
 * Rejected notifications, newest first, with what became of the same body since (the console's replay list).
 * Only a preview of each body leaves the database; one notification's whole body is `findNotificationBody`.
 */
export const listRejectedNotifications = (sql: Sql, filter: { provider?: string | undefined; limit: number }) =>
  sql.query<RejectedNotificationRow>(
    `SELECT n.id, n.provider, n.received_at, n.outcome, n.reason, n.message, n.kind, n.out_trade_no,
            left(n.raw_body, $3) AS preview, n.body_encoding, n.raw_size, n.body_truncated, n.source_ip, o.order_no,
            (SELECT r.outcome FROM notifications r WHERE r.provider = n.provider AND r.raw_body = n.raw_body AND r.id > n.id
             ORDER BY r.id DESC LIMIT 1) AS later_outcome
     FROM notifications n
     LEFT JOIN payments p ON p.payment_no = n.out_trade_no
     LEFT JOIN orders o ON o.id = p.order_id
     WHERE n.outcome = 'rejected' AND ($1::text IS NULL OR n.provider = $1)
     ORDER BY n.id DESC LIMIT $2`,
    [filter.provider ?? null, filter.limit, PREVIEW_CHARS],
  );

export const findNotification = async (sql: Sql, id: number) =>
  (
    await sql.query<NotificationRow>(
      'SELECT id, provider, received_at, outcome, reason, message, kind, out_trade_no FROM notifications WHERE id = $1',
      [id],
    )
  )[0];

export interface NotificationBodyRow extends NotificationRow {
  raw_body: string;
  body_encoding: string;
  raw_size: number | null;
  body_truncated: boolean;
  source_ip: string | null;
  headers: Record<string, string>;
  order_no: string | null;
}

/** One notification with its stored body: the console's detail view and the replay. */
export const findNotificationBody = async (sql: Sql, id: number) =>
  (
    await sql.query<NotificationBodyRow>(
      `SELECT n.id, n.provider, n.received_at, n.outcome, n.reason, n.message, n.kind, n.out_trade_no, n.raw_body,
              n.body_encoding, n.raw_size, n.body_truncated, n.source_ip, n.headers, o.order_no
       FROM notifications n
       LEFT JOIN payments p ON p.payment_no = n.out_trade_no
       LEFT JOIN orders o ON o.id = p.order_id
       WHERE n.id = $1`,
      [id],
    )
  )[0];

/** When these bytes first arrived from this provider (this row or an earlier copy of it). */
export const firstArrivalOf = async (sql: Sql, n: { id: number; provider: string; raw_body: string }) => {
  const [first] = await sql.query<{ at: Date | null }>(
    'SELECT min(received_at) AS at FROM notifications WHERE provider = $1 AND raw_body = $2 AND id <= $3',
    [n.provider, n.raw_body, n.id],
  );
  return first?.at ? new Date(first.at) : undefined;
};
