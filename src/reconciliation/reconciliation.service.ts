import { findPayment } from '../payments/payments.repository.ts';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import { toAttemptRef } from '../payments/attempt-ref.ts';
import type { PaymentStateService } from '../payments/payment-state.service.ts';
import type { PaymentProvider } from '../providers/provider.ts';
import type { RefundProcessing } from '../refunds/refund-processing.service.ts';
import type { DifferenceLog, Remedy } from './differences.ts';
import { beijingDay } from './reconciliation.ts';
import {
  paymentsForBill,
  recordRun,
  refundsForBill,
  type PaymentWithOrderNo,
  type RefundWithPaymentNo,
} from './reconciliation.repository.ts';

export type ReconcileOutcome =
  | { kind: 'done'; lines: number; differences: number; fresh: number }
  | { kind: 'not_ready' }
  | { kind: 'unknown'; reason: string };

const flag = (why: string): Remedy => ({ status: 'flagged', remedy: `flagged for staff: ${why}` });

/**
 * Compares one provider's bill of one Beijing day with our payments and refunds, records each difference
 * once by kind, and applies its remedy. Idempotent: a second run finds the same keys and adds nothing.
 */
export function createReconciliationService(deps: {
  db: Db;
  clock: Clock;
  log: Logger;
  state: PaymentStateService;
  refunds: RefundProcessing;
  note: DifferenceLog;
}) {
  const { db, clock, note } = deps;

  async function reconcile(provider: PaymentProvider, date: string): Promise<ReconcileOutcome> {
    const bill = await provider.downloadBill(date);
    if (bill.kind === 'not_ready') {
      await recordRun(
        db,
        { provider: provider.method, billDate: date, status: 'not_ready', lines: 0, differences: 0, fresh: 0 },
        clock.now(),
      );
      return bill;
    }
    if (bill.kind === 'unknown') return bill;
    const day = beijingDay(date);
    const payLines = bill.lines.filter((l) => l.kind === 'payment');
    const refundLines = bill.lines.filter((l) => l.kind === 'refund');
    const payments = new Map(
      (
        await paymentsForBill(
          db,
          provider.method,
          payLines.map((l) => l.paymentNo),
          day,
        )
      ).map((p) => [p.payment_no, p]),
    );
    const refunds = new Map(
      (
        await refundsForBill(
          db,
          provider.method,
          refundLines.map((l) => l.refundNo ?? ''),
          day,
        )
      ).map((r) => [r.request_no, r]),
    );
    let differences = 0;
    let fresh = 0;
    const base = { source: 'bill' as const, provider: provider.method, billDate: date };
    const found = async (
      d: Omit<Parameters<DifferenceLog>[0], 'source' | 'provider' | 'billDate' | 'key'>,
      remedy: () => Promise<Remedy>,
      keySuffix?: string,
    ) => {
      differences++;
      const key = [
        'bill',
        provider.method,
        date,
        d.kind,
        d.paymentNo ?? '',
        d.refundNo ?? '',
        ...(keySuffix ? [keySuffix] : []),
      ].join(':');
      if (await note({ ...base, ...d, key }, remedy)) fresh++;
    };

    for (const line of payLines) {
      const p = payments.get(line.paymentNo);
      const ids = {
        paymentNo: line.paymentNo,
        refundNo: null,
        orderNo: p?.order_no ?? null,
        providerAmount: line.amount,
        ourAmount: p?.amount ?? null,
      };
      if (!p)
        await found(
          {
            ...ids,
            kind: 'payment_unknown_here',
            detail: `trade ${line.providerTradeNo ?? '?'} paid at ${provider.method} for a number mallpay never issued`,
          },
          async () => flag('no order to apply it to; refund it from the provider console or find its origin'),
        );
      else if (p.amount !== line.amount)
        await found(
          { ...ids, kind: 'payment_amount_differs', detail: `bill ${line.amount}, ours ${p.amount}` },
          async () => flag('amounts differ; never applied automatically'),
        );
      else if (p.status !== 'succeeded')
        await found({ ...ids, kind: 'payment_missing_here', detail: `bill says paid; ours is ${p.status}` }, () =>
          applyMissedPayment(provider, p),
        );
    }
    const billed = new Set(payLines.map((l) => l.paymentNo));
    for (const p of payments.values()) {
      if (p.status !== 'succeeded' || billed.has(p.payment_no)) continue;
      const now = await provider.queryPayment(toAttemptRef(p));
      // Paid on a neighbouring day by the provider's clock: not a difference.
      if (now.kind === 'succeeded' && now.amount === p.amount) continue;
      await found(
        {
          paymentNo: p.payment_no,
          refundNo: null,
          orderNo: p.order_no,
          providerAmount: null,
          ourAmount: p.amount,
          kind: 'payment_missing_at_provider',
          detail: `not in the bill; query says ${now.kind}`,
        },
        async () => flag('succeeded here but not at the provider'),
      );
    }

    for (const line of refundLines) {
      // A bill names a refund by the number of the request the provider refunded under.
      const r = line.refundNo ? refunds.get(line.refundNo) : undefined;
      // A bill may not name a refund's payment (UnionPay's file, when the consume settled on another day): '' then.
      const ids = {
        paymentNo: line.paymentNo || r?.payment_no || null,
        refundNo: r?.refund_no ?? line.refundNo,
        orderNo: null,
        providerAmount: line.amount,
        ourAmount: r?.amount ?? null,
      };
      if (!r || (line.paymentNo !== '' && r.payment_no !== line.paymentNo))
        await found(
          {
            ...ids,
            kind: 'refund_unknown_here',
            detail: `refund of ${line.amount} at ${provider.method} that mallpay never made`,
          },
          async () => flag('money left without a refund record'),
        );
      else if (r.amount !== line.amount)
        await found(
          { ...ids, kind: 'refund_amount_differs', detail: `bill ${line.amount}, ours ${r.amount}` },
          async () => flag('refund amounts differ'),
        );
      else if (r.request_status === 'failed' || r.request_status === 'not_found')
        await found(
          {
            ...ids,
            kind: 'refund_missing_here',
            detail: `bill says refunded under ${r.request_no}, which mallpay had as ${r.request_status} (refund ${r.status})`,
          },
          async () => flag('refunded under a number taken as ended: the money may have gone back twice'),
          r.request_no,
        );
      else if (r.status !== 'succeeded')
        await found({ ...ids, kind: 'refund_missing_here', detail: `bill says refunded; ours is ${r.status}` }, () =>
          driveRefund(r),
        );
    }
    const billedRefunds = new Set(refundLines.map((l) => l.refundNo));
    for (const r of refunds.values()) {
      if (r.status !== 'succeeded' || r.request_status !== 'succeeded' || billedRefunds.has(r.request_no)) continue;
      const now = await deps.refunds.ask(r.refund_no);
      if (now?.kind === 'succeeded') continue;
      await found(
        {
          paymentNo: r.payment_no,
          refundNo: r.refund_no,
          orderNo: null,
          providerAmount: null,
          ourAmount: r.amount,
          kind: 'refund_missing_at_provider',
          detail: `not in the bill; query says ${now?.kind ?? 'nothing'}`,
        },
        async () => flag('refunded here but not at the provider'),
      );
    }

    for (const f of bill.fundDifferences ?? []) {
      await found(
        {
          paymentNo: f.paymentNo,
          refundNo: f.refundNo,
          orderNo: null,
          providerAmount: f.fundAmount ?? f.amount,
          ourAmount: null,
          kind: f.kind,
          detail: f.detail,
        },
        async () => flag('the provider’s fund-flow and trade bills disagree; ask the provider'),
        `${f.direction}:${f.providerNo}`,
      );
    }

    await recordRun(
      db,
      { provider: provider.method, billDate: date, status: 'done', lines: bill.lines.length, differences, fresh },
      clock.now(),
    );
    deps.log.info({ provider: provider.method, date, lines: bill.lines.length, differences, fresh }, 'reconciled');
    return { kind: 'done', lines: bill.lines.length, differences, fresh };
  }

  /** The normal path: ask the provider, apply its answer; an order closed meanwhile makes the money surplus, which goes back. */
  async function applyMissedPayment(provider: PaymentProvider, p: PaymentWithOrderNo): Promise<Remedy> {
    const state = await provider.queryPayment(toAttemptRef(p));
    if (state.kind !== 'succeeded') return flag(`the bill says paid but a query says ${state.kind}`);
    await db.tx((sql) => deps.state.applyState(sql, p.payment_no, state));
    const after = await findPayment(db, p.payment_no);
    return {
      status: 'resolved',
      remedy: after?.surplus
        ? 'applied by query; the order was closed, so the money goes back by automatic refund'
        : 'applied by query',
    };
  }

  async function driveRefund(r: RefundWithPaymentNo): Promise<Remedy> {
    if (r.status !== 'processing') return flag(`the provider refunded it but ours is ${r.status}`);
    await deps.refunds.drive(r.refund_no);
    const after = await deps.refunds.load(r.refund_no);
    return after?.status === 'succeeded'
      ? { status: 'resolved', remedy: 'refund driven: the query confirmed it' }
      : flag(`driven, still ${after?.status ?? 'missing'}`);
  }

  return { reconcile };
}

export type ReconciliationService = ReturnType<typeof createReconciliationService>;
