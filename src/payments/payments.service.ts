import type { User } from '../accounts/accounts.ts';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { failpoint } from '../lib/failpoints.ts';
import { merchantNo } from '../lib/ids.ts';
import { enqueue } from '../lib/jobs.ts';
import type { Logger } from '../lib/log.ts';
import type { OrdersService } from '../orders/orders.service.ts';
import { closeUnpaidOrder, lockOrder } from '../orders/order-state.ts';
import type { CreateResult, PaymentAction } from '../providers/provider.ts';
import { providerFor, type Providers } from '../providers/registry.ts';
import { nextPollDelayMs, type PaymentRow } from './payment.ts';
import type { PaymentStateService } from './payment-state.service.ts';
import * as repo from './payments.repository.ts';
import { toAttemptRef } from './attempt-ref.ts';
import { isActionExpired, needsNewAttempt, renewalClientIp } from './action-expiry.ts';
import { identifyPayer } from './payer-code.ts';
import { checkPayerInput, type PayerInput } from './payer-input.ts';

export const POLL_PAYMENT_JOB = 'payment.poll';

/** How long past its order's TTL an attempt is still asked about (see poll). */
export const WATCH_AFTER_TTL_MS = 10 * 60_000;

/**
 * How long one payment request may hold the order's attempts: longer than closing the others and creating
 * one at the providers takes (each call is bounded by the provider timeout), short enough that a crashed
 * request does not block the customer for long.
 */
const ATTEMPT_LEASE_MS = 2 * 60_000;

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

  /**
   * Closes one attempt at its provider. If the customer paid it meanwhile, the payment is applied
   * instead; if the provider cannot say, the attempt stays pending and the caller must not go on.
   */
  async function closeAttempt(p: PaymentRow): Promise<'closed' | 'paid' | 'unknown'> {
    // Being cancelled at its provider (face-to-face): the code-deadline job decides it; ask again later.
    if (p.cancel_requested) return 'unknown';
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

  /**
   * Closes an attempt whose signed form went stale, like any superseded attempt: asked at its provider first
   * (UnionPay: a query), so money it took is applied instead; what it takes later, the poller still finds.
   */
  async function supersede(stale: PaymentRow): Promise<void> {
    try {
      const outcome = await closeAttempt(stale);
      if (outcome === 'paid') throw new AppError('invalid_state', 'order was paid meanwhile');
      if (outcome === 'unknown')
        throw new AppError('provider_unavailable', `${stale.method} did not confirm closing the earlier attempt`);
    } finally {
      await repo.setBusyUntil(db, stale.id, null);
    }
  }

  async function callCreate(
    p: PaymentRow,
    subject: string,
    expiresAt: Date,
    clientIp: string,
    extra: { payer?: { openid: string } | undefined; buyerId?: string | undefined } = {},
  ): Promise<CreateResult> {
    const provider = providerFor(providers, p.method);
    return provider.createPayment({
      ...toAttemptRef(p),
      subject,
      expiresAt,
      notifyUrl: notifyUrl(p.method),
      returnUrl: returnUrl(p.method),
      quitUrl: `${deps.publicUrl}/pay/${p.payment_no}`,
      clientIp,
      ...extra,
    });
  }

  return {
    closeAttempt,

    /**
     * Gives the customer an attempt to pay the order with by `method` and `channel`. Under the order's row
     * lock one request at a time takes the order's attempts in hand (a short lease on the attempt it works on):
     * it picks or inserts the attempt and notes the other pending ones. After the commit, and still holding
     * the lease, it closes those at their providers and only then creates its own there, so at most one attempt
     * can take money. A request that finds the lease held answers 409 payment_in_progress (issue 21.7).
     */
    async create(
      user: User,
      orderNo: string,
      method: string,
      channel: string,
      clientIp: string,
      payer: PayerInput = {},
    ): Promise<PaymentRow> {
      // Whose order it is comes first: someone else's order is a 404 whatever else is wrong.
      const order = await deps.orders.getOwn(user, orderNo);
      const provider = providerFor(providers, method);
      if (!provider.channels.includes(channel)) {
        throw new AppError('channel_not_supported', `${method} offers ${provider.channels.join(', ')}, not ${channel}`);
      }
      checkPayerInput(method, channel, payer);
      if (order.status !== 'pending_payment')
        throw new AppError('invalid_state', `order is ${order.status}, not payable`);
      if (order.expires_at <= clock.now()) throw new AppError('order_expired', 'order has expired');
      // Before anything is saved: a used, expired or foreign code changes nothing (payer-code.ts).
      const identified = await identifyPayer(provider, channel, payer.code);

      // The attempt, with its merchant number, is saved before the provider hears of it.
      const claimAttempt = () =>
        db.tx(async (sql) => {
          const now = clock.now();
          const locked = await lockOrder(sql, orderNo);
          if (locked?.status !== 'pending_payment')
            throw new AppError('invalid_state', `order is ${locked?.status}, not payable`);
          const pending = (await repo.listPaymentsOfOrder(sql, order.id)).filter((p) => p.status === 'pending');
          if (pending.some((p) => p.busy_until && p.busy_until > now))
            throw new AppError('payment_in_progress', 'another payment request for this order is under way; try again');
          const same = pending.find((p) => p.method === method && p.channel === channel);
          // An expired signed form (UnionPay) is superseded, not renewed: leased here, closed after the commit,
          // and only then (one pending attempt per method and channel) is its successor saved.
          if (same && needsNewAttempt(same.action, now)) {
            await repo.setBusyUntil(sql, same.id, new Date(now.getTime() + ATTEMPT_LEASE_MS));
            return { superseded: same } as const;
          }
          const others = pending.filter((p) => p !== same);
          if (same?.action && !isActionExpired(same.action, now) && others.length === 0)
            return { attempt: same, others, inserted: false, leased: false };
          const attempt =
            same ??
            (await repo.insertPayment(sql, {
              payment_no: merchantNo('P', now),
              order_id: order.id,
              method: provider.method,
              channel,
              merchant_id: provider.merchantId,
              amount: order.amount,
              currency: order.currency,
              created_at: now,
            }));
          if (!same) {
            await enqueue(
              sql,
              POLL_PAYMENT_JOB,
              { paymentNo: attempt.payment_no },
              { runAt: new Date(now.getTime() + nextPollDelayMs(0)), dedupeKey: `poll:${attempt.payment_no}` },
            );
          }
          await repo.setBusyUntil(sql, attempt.id, new Date(now.getTime() + ATTEMPT_LEASE_MS));
          return { attempt, others, inserted: !same, leased: true };
        });
      let first = await claimAttempt();
      if (first.superseded) {
        await supersede(first.superseded);
        first = await claimAttempt();
        if (first.superseded)
          throw new AppError('payment_in_progress', 'another payment request for this order is under way; try again');
      }
      const claim = first;
      if (!claim.leased) return claim.attempt;
      const { attempt } = claim;
      try {
        for (const other of claim.others) {
          const outcome = await closeAttempt(other);
          if (outcome === 'closed') continue;
          // Never sent to a provider, the new attempt can simply close; one already sent stays for the poller.
          if (claim.inserted) await state.close(db, attempt.payment_no, 'closed');
          if (outcome === 'paid') throw new AppError('invalid_state', 'order was paid meanwhile');
          throw new AppError('provider_unavailable', `${other.method} did not confirm closing the earlier attempt`);
        }
        if (attempt.action && !isActionExpired(attempt.action, clock.now())) return attempt;

        // A renewal (an expired H5 link) repeats the first request exactly, its payer address included.
        const ip = renewalClientIp(attempt.action) ?? clientIp;
        const result = await callCreate(attempt, `Order ${orderNo}`, order.expires_at, ip, {
          payer: identified,
          buyerId: payer.buyerId,
        });
        failpoint('payment.after_provider_call');
        if (result.kind === 'created') {
          if (await repo.saveAction(db, attempt.id, result.action, clock.now()))
            return { ...attempt, action: result.action };
          // Closed meanwhile (the order expired or was cancelled): the trade just made must not stay open.
          await closeAttempt({ ...attempt, action: result.action });
          throw new AppError('invalid_state', 'order was closed meanwhile');
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
      } finally {
        await repo.setBusyUntil(db, attempt.id, null);
      }
    },

    /**
     * The action to show for a pending attempt, renewed when its link has died (WeChat's h5_url lives 5
     * minutes): the same request again, which gives a fresh link. Null when the provider gave none now, and
     * for an expired signed form, which is never served again (the caller starts a new attempt: create()).
     */
    async currentAction(p: repo.PaymentWithOrder): Promise<PaymentAction | null> {
      if (p.status !== 'pending' || !p.action || !isActionExpired(p.action, clock.now())) return p.action;
      if (needsNewAttempt(p.action, clock.now())) return null;
      const ip = renewalClientIp(p.action) ?? '';
      const result = await callCreate(p, `Order ${p.order_no}`, p.order_expires_at, ip);
      if (result.kind !== 'created') return null;
      if (!(await repo.saveAction(db, p.id, result.action, clock.now()))) return null;
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
      const { order: after } = await db.tx((sql) => closeUnpaidOrder(sql, orderNo, clock.now()));
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
