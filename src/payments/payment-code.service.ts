import type { User } from '../accounts/accounts.ts';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { merchantNo } from '../lib/ids.ts';
import { enqueue } from '../lib/jobs.ts';
import type { Logger } from '../lib/log.ts';
import type { OrdersService } from '../orders/orders.service.ts';
import { lockOrder } from '../orders/order-state.ts';
import { PAYMENT_CODE_WAIT_MS } from '../providers/alipay/face-to-face.ts';
import type { PaymentAction } from '../providers/provider.ts';
import { providerFor, type Providers } from '../providers/registry.ts';
import { toAttemptRef } from './attempt-ref.ts';
import type { PaymentRow } from './payment.ts';
import type { PaymentStateService } from './payment-state.service.ts';
import type { PaymentsService } from './payments.service.ts';
import * as repo from './payments.repository.ts';

export const PAYMENT_CODE_JOB = 'payment.code_deadline';
export const PAYMENT_CODE_CHANNEL = 'barcode';
/** How often a waiting face-to-face attempt is asked about (Alipay's own demo asks every 5 s). */
const ASK_EVERY_MS = 5_000;
/** Like a customer's payment request: long enough to close the order's other attempts and call the provider. */
const ATTEMPT_LEASE_MS = 2 * 60_000;

/**
 * Face-to-face pay (docs/channels/alipay-face-to-face.md): staff scan the buyer's payment code for an order. The
 * provider takes the money at once, or waits for the buyer to confirm on the phone; then the deadline job asks every
 * few seconds and, when the time is up, cancels the trade at the provider, which gives back money paid meanwhile.
 */
export function createPaymentCodeService(deps: {
  db: Db;
  clock: Clock;
  log: Logger;
  providers: Providers;
  orders: OrdersService;
  state: PaymentStateService;
  payments: PaymentsService;
  publicUrl: string;
}) {
  const { db, clock, providers, state } = deps;

  async function applyQuery(p: PaymentRow) {
    const now = await providerFor(providers, p.method).queryPayment(toAttemptRef(p));
    await db.tx((sql) => state.applyState(sql, p.payment_no, now));
    return now;
  }

  /** The attempt as it is now, with the action staff see. */
  const reread = async (paymentNo: string) => (await repo.findPayment(db, paymentNo))!;

  return {
    async scan(_staff: User, orderNo: string, method: string, authCode: string, clientIp: string): Promise<PaymentRow> {
      const provider = providerFor(providers, method);
      if (!provider.channels.includes(PAYMENT_CODE_CHANNEL) || !provider.acceptsPaymentCode)
        throw new AppError('channel_not_supported', `${method} takes no payment codes`);
      // The shape first: a misread code changes nothing, not even an attempt that fails.
      if (!provider.acceptsPaymentCode(authCode))
        throw new AppError(
          'invalid_payment_code',
          `not a ${method} payment code; scan the code on the buyer's phone again`,
        );
      const order = await deps.orders.find(orderNo);
      if (!order) throw new AppError('order_not_found', 'order not found');
      if (order.status !== 'pending_payment')
        throw new AppError('invalid_state', `order is ${order.status}, not payable`);
      if (order.expires_at <= clock.now()) throw new AppError('order_expired', 'order has expired');

      const claim = await db.tx(async (sql) => {
        const now = clock.now();
        const locked = await lockOrder(sql, orderNo);
        if (locked?.status !== 'pending_payment')
          throw new AppError('invalid_state', `order is ${locked?.status}, not payable`);
        const pending = (await repo.listPaymentsOfOrder(sql, order.id)).filter((p) => p.status === 'pending');
        // A code already waiting for its buyer is decided first (paid, or cancelled at its deadline).
        if (pending.some((p) => (p.busy_until && p.busy_until > now) || p.channel === PAYMENT_CODE_CHANNEL))
          throw new AppError('payment_in_progress', 'a payment for this order is under way; wait for its outcome');
        const attempt = await repo.insertPayment(sql, {
          payment_no: merchantNo('P', now),
          order_id: order.id,
          method: provider.method,
          channel: PAYMENT_CODE_CHANNEL,
          merchant_id: provider.merchantId,
          amount: order.amount,
          currency: order.currency,
          created_at: now,
        });
        // Saved with the attempt, before the provider hears of it: whatever happens to this request, the trade is
        // asked about and, unless paid in time, cancelled.
        await enqueue(
          sql,
          PAYMENT_CODE_JOB,
          { paymentNo: attempt.payment_no },
          { runAt: new Date(now.getTime() + ASK_EVERY_MS), dedupeKey: `code:${attempt.payment_no}` },
        );
        await repo.setBusyUntil(sql, attempt.id, new Date(now.getTime() + ATTEMPT_LEASE_MS));
        return { attempt, others: pending };
      });
      const { attempt } = claim;
      try {
        for (const other of claim.others) {
          const outcome = await deps.payments.closeAttempt(other);
          if (outcome === 'closed') continue;
          await state.close(db, attempt.payment_no, 'closed');
          if (outcome === 'paid') throw new AppError('invalid_state', 'order was paid meanwhile');
          throw new AppError('provider_unavailable', `${other.method} did not confirm closing the earlier attempt`);
        }
        const result = await provider.createPayment({
          ...toAttemptRef(attempt),
          subject: `Order ${orderNo}`,
          expiresAt: order.expires_at,
          notifyUrl: `${deps.publicUrl}/notify/${method}`,
          returnUrl: `${deps.publicUrl}/return/${method}`,
          clientIp,
          authCode,
        });
        if (result.kind === 'failed') {
          await state.close(db, attempt.payment_no, 'failed', result.reason);
          throw new AppError('payment_declined', `${method} declined the payment code: ${result.message}`, {
            reason: result.reason,
          });
        }
        // Unknown (a timeout): the trade may exist and may be waiting for its buyer, like 10003.
        const action: PaymentAction =
          result.kind === 'created'
            ? result.action
            : {
                type: 'payment_code',
                state: 'waiting',
                waitUntil: new Date(clock.now().getTime() + PAYMENT_CODE_WAIT_MS).toISOString(),
              };
        await repo.saveAction(db, attempt.id, action, clock.now());
        if (action.type === 'payment_code' && action.state === 'paid') await applyQuery(attempt);
        return reread(attempt.payment_no);
      } finally {
        await repo.setBusyUntil(db, attempt.id, null);
      }
    },

    /**
     * The deadline job: asks until the buyer has paid or the time is up, then cancels. Once the cancel is decided
     * (saved first, migration 018) no report of a payment marks the attempt paid: the cancel returns that money.
     */
    async deadline(paymentNo: string): Promise<{ again: Date } | void> {
      const p = await repo.findPayment(db, paymentNo);
      if (!p || p.status !== 'pending') return;
      const provider = providerFor(providers, p.method);
      const now = clock.now();
      if (!p.cancel_requested) {
        const asked = await applyQuery(p);
        if (asked.kind === 'succeeded' || asked.kind === 'closed' || asked.kind === 'failed') return;
        const deadline = p.created_at.getTime() + PAYMENT_CODE_WAIT_MS;
        if (now.getTime() < deadline) return { again: new Date(Math.min(now.getTime() + ASK_EVERY_MS, deadline)) };
        if (!(await repo.markCancelRequested(db, p.id, now))) return;
      }
      if (!provider.cancelPayment) throw new Error(`${p.method} cannot cancel a payment-code attempt`);
      const cancelled = await provider.cancelPayment(toAttemptRef(p));
      deps.log.info({ paymentNo, result: cancelled.kind }, 'payment-code attempt cancelled at the provider');
      if (cancelled.kind === 'closed') await state.close(db, paymentNo, 'closed');
      else if (cancelled.kind === 'refunded') await state.close(db, paymentNo, 'failed', 'cancelled_after_payment');
      else return { again: new Date(now.getTime() + ASK_EVERY_MS) };
    },
  };
}

export type PaymentCodeService = ReturnType<typeof createPaymentCodeService>;
