import type { Sql } from '../db/client.ts';
import type { RefundRow } from './refund.ts';
import * as repo from './refunds.repository.ts';
import { listRequests } from './refund-requests.repository.ts';

export function refundSummary(r: RefundRow & { order_no?: string }) {
  return {
    refundNo: r.refund_no,
    orderNo: r.order_no,
    status: r.status,
    amount: r.amount,
    currency: r.currency,
    reason: r.reason,
    automatic: r.automatic,
    approvalsNeeded: r.approvals_needed,
    failureReason: r.failure_reason,
    closed: r.abandoned_at !== null,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

/** The refund with its whole history: who did what and when, and what the provider answered. */
export async function refundDetail(sql: Sql, r: RefundRow & { order_no?: string }) {
  const [events, requests] = await Promise.all([repo.listEvents(sql, r.id), listRequests(sql, r.id)]);
  return {
    ...refundSummary(r),
    /** Each request sent to the provider, under the number the provider knows it by (a retry gets a new one). */
    providerRequests: requests.map((q) => ({
      number: q.request_no,
      sentAt: q.sent_at.toISOString(),
      status: q.status,
      finishedAt: q.finished_at?.toISOString() ?? null,
    })),
    history: events.map((e) => ({
      at: e.at.toISOString(),
      action: e.action,
      actor: { role: e.actor_role, id: e.actor_id, email: e.actor_email },
      from: e.from_status,
      to: e.to_status,
      note: e.note,
    })),
  };
}

export const refundsOfOrder = async (sql: Sql, orderId: number) =>
  (await repo.listRefundsOfOrder(sql, orderId)).map(refundSummary);
