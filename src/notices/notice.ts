import type { Sql } from '../db/client.ts';
import { enqueue } from '../lib/jobs.ts';
import { insertNotice, type NoticeRow } from './notices.repository.ts';

/** What a customer is told about (each a translated sentence on the notices page and an e-mail). */
export type NoticeKind = 'refund_approved' | 'refund_rejected' | 'refund_succeeded' | 'refund_failed';

export const SEND_NOTICE_EMAIL_JOB = 'notice.email';

/**
 * Tells the customer, in the caller's transaction (the change it is about): a notice in the app, and an
 * e-mail job (sent only where SMTP is configured) so that a restart loses none.
 */
export async function noticeToCustomer(sql: Sql, notice: Parameters<typeof insertNotice>[1]): Promise<void> {
  const { id } = await insertNotice(sql, notice);
  await enqueue(sql, SEND_NOTICE_EMAIL_JOB, { messageId: id }, { runAt: notice.at, maxAttempts: 10 });
}

/** A notice as the API shows it (`GET /api/me/notifications`). */
export const noticeView = (m: NoticeRow) => ({
  id: m.id,
  kind: m.kind,
  orderNo: m.order_no,
  refundNo: m.refund_no,
  amount: m.amount,
  currency: m.currency,
  note: m.note,
  createdAt: m.created_at.toISOString(),
});
