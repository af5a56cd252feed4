import nodemailer from 'nodemailer';
import type { Db } from '../db/client.ts';
import { jobHandler, type JobHandler } from '../lib/jobs.ts';
import { formatMoney } from '../lib/money.ts';
import { findNoticeWithEmail } from './notices.repository.ts';

const SUBJECTS: Record<string, string> = {
  refund_approved: 'Your refund was approved',
  refund_rejected: 'Your refund application was not approved',
  refund_succeeded: 'Your refund has been paid',
  refund_failed: 'Your refund could not be paid yet',
};

/**
 * The e-mail half of a customer notice, run from the jobs table so a restart loses none. Without
 * SMTP_URL there is nothing to send: the in-app message is the notice.
 */
export function noticeEmailJob(deps: { db: Db; smtpUrl: string | undefined; from: string }): JobHandler {
  const transport = deps.smtpUrl ? nodemailer.createTransport(deps.smtpUrl) : undefined;
  return jobHandler('notice.email', async (payload) => {
    if (!transport) return;
    const m = await findNoticeWithEmail(deps.db, payload.messageId);
    if (!m) return;
    const lines = [
      `Order ${m.order_no}, refund ${m.refund_no}: ${formatMoney(m.amount, m.currency)}.`,
      m.note ? `Note: ${m.note}` : '',
    ].filter(Boolean);
    await transport.sendMail({
      from: deps.from,
      to: m.email,
      subject: SUBJECTS[m.kind] ?? 'About your refund',
      text: lines.join('\n'),
    });
  });
}
