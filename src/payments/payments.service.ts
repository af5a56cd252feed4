import type { User } from '../accounts/accounts.ts';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { failpoint } from '../lib/failpoints.ts';
import { merchantNo } from '../lib/ids.ts';
import { enqueue } from '../lib/jobs.ts';
import type { Logger } from '../lib/log.ts';
import type { OrdersService } from '../orders/orders.service.ts';
import { lockOrder } from '../orders/orders.repository.ts';
import type { CreateResult, PaymentAction } from '../providers/provider.ts';
import { providerFor, type Providers } from '../providers/registry.ts';
import { nextPollDelayMs, type PaymentRow } from './payment.ts';
import type { PaymentStateService } from './payment-state.service.ts';
import * as repo from './payments.repository.ts';
import { toAttemptRef } from './attempt-ref.ts';
import { isActionExpired, renewalClientIp } from './action-expiry.ts';

export const POLL_PAYMENT_JOB = 'payment.poll';

/** How long past its order's TTL an attempt is still asked about (see poll). */
export const WATCH_AFTER_TTL_MS = 10 * 60_000;

export interface PaymentsDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  providers: Providers;
  orders: OrdersService;
  state: PaymentStateService;
  publicUrl: string;
}

export function createPaymentsService(deps: PaymentsDeps) {
  const { db, clock, providers, state } = deps;
  const notifyUrl = (method: string) => `${deps.publicUrl}/notify/${method}`;
  const returnUrl = (method: string) => `${deps.publicUrl}/return/${method}`;

  /** Closes the order's other pending attempts at their providers, so only one can still take money. */
  async function closeOtherAttempts(orderId: number, keep: { method: string; channel: string }): Promise<void> {
    const others = (await repo.listPaymentsOfOrder(db, orderId)).filter(
      (p) => p.status === 'pending' && !(p.method === keep.method && p.channel === keep.channel),
    );
    for (const other of others) await closeAttempt(other);
  }

  /**
   * Closes one attempt at its provider. If the customer paid it meanwhile, the payment is applied
   * instead; if the provider cannot say, the attempt stays pending and the caller must not go on.
   */
  async function closeAttempt(p: PaymentRow): Promise<'closed' | 'paid' | 'unknown'> {
    const provider = providerFor(providers, p.method);
    const result = await provider.closePayment(toAttemptRef(p));
    if (result.kind === 'closed') {
      await state.close(db, p.payment_no, 'closed');
      return 'closed';
    }
    if (result.kind === 'unknown') return 'unknown';
    const paid = await provider.queryPayment(toAttemptRef(p));
    await db.tx((sql) => state.applyState(sql, p.payment_no, paid));
    return paid.kind === 'succeeded' ? 'paid' : 'unknown';
  }

  async function callCreate(p: PaymentRow, subject: string, expiresAt: Date, clientIp: string): Promise<CreateResult> {
    const provider = providerFor(providers, p.method);
    return provider.createPayment({
      ...toAttemptRef(p),
      subject,
      expiresAt,
      notifyUrl: notifyUrl(p.method),
      returnUrl: returnUrl(p.method),
      clientIp,
    });
  }

  return {
    closeAttempt,

    async create(user: User, orderNo: string, method: string, channel: string, clientIp: string): Promise<PaymentRow> {
      // Whose order it is comes first: someone else's order is a 404 whatever else is wrong.
      const order = await deps.orders.getOwn(user, orderNo);
      const provider = providerFor(providers, method);
      if (!provider.channels.includes(channel)) {
        throw new AppError('channel_not_supported', `${method} offers ${provider.channels.join(', ')}, not ${channel}`);
      }
      const now = clock.now();
      if (order.status !== 'pending_payment')
        throw new AppError('invalid_state', `order is ${order.status}, not payable`);
      if (order.expires_at <= now) throw new AppError('order_expired', 'order has expired');
      await closeOtherAttempts(order.id, { method, channel });

      // The attempt, with its merchant number, is saved before the provider hears of it.
      const attempt = await db.tx(async (sql) => {
        const locked = await lockOrder(sql, orderNo);
        if (locked?.status !== 'pending_payment')
          throw new AppError('invalid_state', `order is ${locked?.status}, not payable`);
        const existing = (await repo.listPaymentsOfOrder(sql, order.id)).find(
          (p) => p.status === 'pending' && p.method === method && p.channel === channel,
        );
        if (existing) return existing;
        const created = await repo.insertPayment(sql, {
          payment_no: merchantNo('P', now),
          order_id: order.id,
          method: provider.method,
          channel,
          merchant_id: provider.merchantId,
          amount: order.amount,
          currency: order.currency,
          created_at: now,
        });
        await enqueue(
          sql,
          POLL_PAYMENT_JOB,
          { paymentNo: created.payment_no },
          {
            runAt: new Date(now.getTime() + nextPollDelayMs(0)),
            dedupeKey: `poll:${created.payment_no}`,
          },
        );
        return created;
      });
      if (attempt.action && !isActionExpired(attempt.action, clock.now())) return attempt;

      const ip = renewalClientIp(attempt.action) ?? clientIp;
      const result = await callCreate(attempt, `Order ${orderNo}`, order.expires_at, ip);
      failpoint('payment.after_provider_call');
      if (result.kind === 'created') {
        await repo.setAction(db, attempt.id, result.action, clock.now());
        return { ...attempt, action: result.action };
      }
      if (result.kind === 'failed') {
        await state.close(db, attempt.payment_no, 'failed', result.reason);
        throw new AppError('provider_error', `${method} refused the payment: ${result.message}`, {
          reason: result.reason,
        });
      }
      // Unknown: the trade may exist. The attempt stays pending; asking again repeats the same request.
      throw new AppError('provider_unavailable', `${method} did not answer; try again`, {
        paymentNo: attempt.payment_no,
      });
    },

    /**
     * The action to show for a pending attempt, renewed when its link has died (WeChat's h5_url lives 5
     * minutes): the same request again, which gives a fresh link. Null when the provider gave none now.
     */
    async currentAction(p: repo.PaymentWithOrder): Promise<PaymentAction | null> {
      if (p.status !== 'pending' || !p.action || !isActionExpired(p.action, clock.now())) return p.action;
      const ip = renewalClientIp(p.action) ?? '';
      const result = await callCreate(p, `Order ${p.order_no}`, p.order_expires_at, ip);
      if (result.kind !== 'created') return null;
      await repo.setAction(db, p.id, result.action, clock.now());
      return result.action;
    },

    /** Asks the provider about a pending attempt: the make-up for a lost notification. */
    async poll(paymentNo: string): Promise<{ again: Date } | void> {
      const p = await repo.findPaymentWithOrder(db, paymentNo);
      if (!p || (p.status !== 'pending' && p.status !== 'closed')) return;
      const now = clock.now();
      const watchUntil = p.order_expires_at.getTime() + WATCH_AFTER_TTL_MS;
      if (now.getTime() >= watchUntil) return;
      const stateNow = await providerFor(providers, p.method).queryPayment(toAttemptRef(p));
      await db.tx((sql) => state.applyState(sql, paymentNo, stateNow));
      if (stateNow.kind === 'succeeded' || stateNow.kind === 'failed') return;
      // Closed here is not always closed at the provider (UnionPay has no close: its cashier takes money
      // until its pay timeout), and a late payment's notifications can be lost for good: keep asking a
      // while after the order's TTL, so that money is found and goes back.
      const next = now.getTime() + nextPollDelayMs(now.getTime() - p.created_at.getTime());
      return { again: new Date(Math.min(next, watchUntil)) };
    },

    /**
     * Closes an unpaid order (TTL or the customer's cancel): each pending attempt is closed at its provider
     * first; if one was paid meanwhile, the order is paid instead and stays so.
     */
    async closeOrder(orderNo: string): Promise<'closed' | 'paid' | 'retry'> {
      const order = await deps.orders.findOpen(orderNo);
      if (!order) return (await deps.orders.find(orderNo))?.status === 'closed' ? 'closed' : 'paid';
      for (const p of await repo.listPaymentsOfOrder(db, order.id)) {
        if (p.status !== 'pending') continue;
        const outcome = await closeAttempt(p);
        if (outcome === 'paid') return 'paid';
        if (outcome === 'unknown') return 'retry';
      }
      const { order: after } = await db.tx((sql) => deps.orders.closeUnpaid(sql, orderNo));
      return after?.status === 'closed' ? 'closed' : 'paid';
    },

    /** The browser is back from the cashier: ask the provider if we have not heard yet. UI only. */
    async settleOnReturn(paymentNo: string): Promise<repo.PaymentWithOrder | undefined> {
      const p = await repo.findPaymentWithOrder(db, paymentNo);
      if (!p || p.status !== 'pending') return p;
      const stateNow = await providerFor(providers, p.method).queryPayment(toAttemptRef(p));
      await db.tx((sql) => state.applyState(sql, paymentNo, stateNow));
      return repo.findPaymentWithOrder(db, paymentNo);
    },
  };
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;
