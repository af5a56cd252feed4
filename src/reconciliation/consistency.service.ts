import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import { toAttemptRef } from '../payments/attempt-ref.ts';
import { findPaymentById } from '../payments/payments.repository.ts';
import type { PaymentStateService } from '../payments/payment-state.service.ts';
import type { PaymentsService } from '../payments/payments.service.ts';
import { own } from '../lib/own.ts';
import { enabledProvider, providerFor, type Providers } from '../providers/registry.ts';
import type { RefundProcessing } from '../refunds/refund-processing.service.ts';
import type { DifferenceLog } from './differences.ts';
import * as repo from './reconciliation.repository.ts';

export const CONSISTENCY_CHECK_JOB = 'consistency.check';
export const CHECK_EVERY_MS = 10 * 60_000;
/** Past this, an attempt or refund the provider still will not answer about goes to staff as well. */
const STUCK_AFTER_MS = 24 * 3600_000;
/** How long each provider usually takes to settle a refund (Alipay is synchronous; the others notify within hours). */
const REFUND_USUAL_MS: Record<string, number> = {
  alipay: 10 * 60_000,
  wechatpay: 2 * 3600_000,
  unionpay: 2 * 3600_000,
};

/**
 * What should not stay as it is: attempts still pending past their order's TTL, refunds processing past
 * the provider's usual time, orders whose status disagrees with their payments and refunds. Each is
 * resolved by asking the provider through the normal paths, or flagged for staff.
 */
export function createConsistencyChecker(deps: {
  db: Db;
  clock: Clock;
  log: Logger;
  providers: Providers;
  payments: PaymentsService;
  state: PaymentStateService;
  refunds: RefundProcessing;
  note: DifferenceLog;
}) {
  const { db, clock } = deps;

  async function staleAttempts(now: Date) {
    const rows = await repo.listStalePendingAttempts(db, new Date(now.getTime() - 60_000));
    let resolved = 0;
    for (const p of rows) {
      if (!enabledProvider(deps.providers, p.method)) continue;
      if (p.order_status === 'pending_payment') {
        // The expiry path: close at the provider, or apply the payment it reports instead.
        if ((await deps.payments.closeOrder(p.order_no)) !== 'retry') resolved++;
      } else {
        // The order was settled by another attempt: this one's fate at the provider decides (surplus goes back).
        const state = await providerFor(deps.providers, p.method).queryPayment(toAttemptRef(p));
        if ((await db.tx((sql) => deps.state.applyState(sql, p.payment_no, state))) !== 'unchanged') resolved++;
      }
      const after = await findPaymentById(db, p.id);
      if (after?.status === 'pending' && now.getTime() - p.expires_at.getTime() > STUCK_AFTER_MS) {
        await deps.note(
          {
            key: `checker:stuck_payment:${p.payment_no}`,
            source: 'checker',
            provider: p.method,
            billDate: null,
            kind: 'stuck_at_provider',
            paymentNo: p.payment_no,
            refundNo: null,
            orderNo: p.order_no,
            providerAmount: null,
            ourAmount: p.amount,
            detail: 'pending a day past the order TTL; the provider does not answer',
          },
          async () => ({ status: 'flagged', remedy: 'flagged for staff: ask the provider by hand' }),
        );
      }
    }
    return resolved;
  }

  async function slowRefunds(now: Date) {
    const rows = await repo.listRefundsAtProvider(db);
    let driven = 0;
    for (const r of rows) {
      if (
        now.getTime() - r.sent_at.getTime() < (own(REFUND_USUAL_MS, r.method) ?? 3600_000) ||
        !enabledProvider(deps.providers, r.method)
      )
        continue;
      await deps.refunds.drive(r.refund_no);
      driven++;
    }
    return driven;
  }

  /** Orders whose status says one thing and whose money says another: never fixed blindly, always flagged. */
  async function inconsistentOrders() {
    const rows = await repo.listOrdersMoneyDisagrees(db, new Date(clock.now().getTime() - 7 * 86_400_000));

    let flagged = 0;
    for (const o of rows.filter((r) => r.why)) {
      const fresh = await deps.note(
        {
          key: `checker:order:${o.order_no}:${o.why}`,
          source: 'checker',
          provider: null,
          billDate: null,
          kind: 'order_status_inconsistent',
          paymentNo: null,
          refundNo: null,
          orderNo: o.order_no,
          providerAmount: null,
          ourAmount: Number(o.paid),
          detail: `${o.status}: ${o.why}`,
        },
        async () => ({ status: 'flagged', remedy: 'flagged for staff: status and money disagree' }),
      );
      if (fresh) flagged++;
    }
    return flagged;
  }

  return {
    async check() {
      const now = clock.now();
      const result = {
        attempts: await staleAttempts(now),
        refunds: await slowRefunds(now),
        orders: await inconsistentOrders(),
      };
      deps.log.info(result, 'consistency check');
      return result;
    },
  };
}

export type ConsistencyChecker = ReturnType<typeof createConsistencyChecker>;
