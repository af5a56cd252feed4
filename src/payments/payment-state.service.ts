import type { Db, Sql } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { enqueue } from '../lib/jobs.ts';
import { guardedUpdate } from '../lib/transitions.ts';
import { markOrderPaid } from '../orders/order-state.ts';
import type { PaymentState } from '../providers/provider.ts';
import { paymentTransitions, type PaymentRow, type PaymentStatus } from './payment.ts';
import * as repo from './payments.repository.ts';

/** Money that should not have arrived goes back: the refund feature picks this job up. */
export const RETURN_SURPLUS_JOB = 'payment.return_surplus';

export type ApplyResult = 'applied' | 'duplicate';

/**
 * Moves an attempt, and with it its order, to what the provider says. Every change is a guarded
 * update, so a redelivery, a poll racing a notification, or two processes doing this at once change
 * things once; the loser answers 'duplicate'.
 */
export function createPaymentStateService(deps: { db: Db; clock: Clock }) {
  const { clock } = deps;

  async function succeed(
    sql: Sql,
    paymentNo: string,
    paid: { providerTradeNo: string; paidAt: Date | null; amount: number },
  ): Promise<ApplyResult> {
    const now = clock.now();
    const payment = await guardedUpdate<PaymentStatus, PaymentRow>(sql, {
      table: 'payments',
      transitions: paymentTransitions,
      // The amount is part of the guard: money that differs from the attempt never marks it paid. Nor does a
      // payment of an attempt mallpay cancels at its provider: the cancel gives that money back (018).
      key: { payment_no: paymentNo, amount: paid.amount, cancel_requested: false },
      to: 'succeeded',
      set: { provider_trade_no: paid.providerTradeNo, succeeded_at: paid.paidAt ?? now, updated_at: now },
    });
    if (!payment) return 'duplicate';
    const order = await markOrderPaid(
      sql,
      payment.order_id,
      { amount: payment.amount, paidAt: paid.paidAt ?? now },
      now,
    );
    if (!order) {
      // The order was closed, or another attempt paid it first: this money is surplus and goes back.
      await repo.markSurplus(sql, payment.id);
      await enqueue(sql, RETURN_SURPLUS_JOB, { paymentNo }, { runAt: now, dedupeKey: `surplus:${paymentNo}` });
    }
    return 'applied';
  }

  async function close(sql: Sql, paymentNo: string, to: 'closed' | 'failed', reason?: string): Promise<ApplyResult> {
    const now = clock.now();
    const row = await guardedUpdate(sql, {
      table: 'payments',
      transitions: paymentTransitions,
      key: { payment_no: paymentNo },
      to,
      from: ['pending'],
      set: to === 'closed' ? { closed_at: now, updated_at: now } : { failure_reason: reason ?? null, updated_at: now },
    });
    return row ? 'applied' : 'duplicate';
  }

  return {
    succeed,
    close,
    /** Applies what a query told us; pending and unknown change nothing. */
    async applyState(sql: Sql, paymentNo: string, state: PaymentState): Promise<ApplyResult | 'unchanged'> {
      switch (state.kind) {
        case 'succeeded':
          return succeed(sql, paymentNo, state);
        case 'closed':
          return close(sql, paymentNo, 'closed');
        case 'failed':
          return close(sql, paymentNo, 'failed', state.reason);
        case 'pending':
        case 'unknown':
          return 'unchanged';
      }
    },
  };
}

export type PaymentStateService = ReturnType<typeof createPaymentStateService>;
