import type { Sql } from '../../src/db/client.ts';
import type { Clock } from '../../src/lib/clock.ts';
import type { Notifier } from '../shared/notifier.ts';
import type { RecordStore } from '../shared/store.ts';
import { randomBase62, randomDigits } from './keys.ts';
import { notification, PROVIDER, type EventType } from './notify.ts';
import {
  refundKey,
  refundResource,
  tradeKey,
  transactionView,
  wireTime,
  type RefundRecord,
  type RefundStatus,
  type TradeRecord,
} from './records.ts';
import type { OrderRequest, ParamDetail, RefundRequest } from './validate.ts';

export interface WireError {
  status: number;
  code: string;
  message: string;
  detail?: ParamDetail;
}
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: WireError };

export const H5_URL_TTL_MS = 5 * 60_000;

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const err = (status: number, code: string, message: string, detail?: ParamDetail): Outcome<never> => ({
  ok: false,
  error: { status, code, message, ...(detail ? { detail } : {}) },
});

export interface TradeBookOptions {
  store: RecordStore;
  notifier: Notifier;
  clock: Clock;
  /** The app ids bound to the merchant: its WeChat Pay app id and the in-app channels' (apps.ts). */
  appIds: readonly string[];
  /** For JSAPI: whether an openid was issued under this app id (a foreign one is PARAM_ERROR, as WeChat answers). */
  openidBelongs?: (openid: string, appId: string) => boolean;
  /** How long a refund stays PROCESSING before it settles by itself, already time-scaled. */
  refundDelayMs: number;
  maxRefundsPerTrade: number;
  refundWindowMs: number;
  /** Failures of the background settlement, which has no caller to answer. */
  onBackgroundError(err: unknown): void;
}

/** The sandbox's trades and refunds: every change under the trade's row lock, notifications queued in the same transaction. */
export function createTradeBook(o: TradeBookOptions) {
  const { store, clock } = o;
  const notify = (url: string | undefined, type: EventType, resource: Record<string, unknown>, sql: Sql) =>
    url ? o.notifier.send(PROVIDER, notification(url, type, resource, clock.now()), sql) : Promise.resolve();

  async function createOrder(
    signer: string,
    req: OrderRequest,
    tradeType: TradeRecord['trade_type'],
  ): Promise<Outcome<TradeRecord>> {
    if (req.mchid !== signer)
      return err(400, 'INVALID_REQUEST', 'mchid 与签名商户号不一致 (mchid differs from the signing merchant)');
    if (!o.appIds.includes(req.appid)) return err(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
    if (tradeType === 'JSAPI' && !(req.payer && o.openidBelongs?.(req.payer.openid, req.appid)))
      return err(400, 'PARAM_ERROR', 'appid和openid不匹配');
    const fingerprint = JSON.stringify({ tradeType, ...req });
    const key = tradeKey(req.mchid, req.out_trade_no);
    return store
      .withLock<TradeRecord, Outcome<TradeRecord> | undefined>('trade', key, async (existing, sql) => {
        if (existing) {
          if (existing.fingerprint !== fingerprint) return err(403, 'OUT_TRADE_NO_USED', '商户订单号重复');
          if (existing.state === 'CLOSED') return err(400, 'ORDER_CLOSED', '订单已关闭');
          if (existing.state !== 'NOTPAY' && existing.state !== 'PAYERROR') return err(400, 'ORDER_PAID', '订单已支付');
          // The same request again: the same code_url (valid 2 h), but a fresh h5_url, since each lives 5
          // minutes and re-ordering with identical parameters is how a merchant gets a new one (H5下单 doc).
          if (tradeType !== 'MWEB') return ok(existing);
          const renewed: TradeRecord = { ...existing, prepay: `wx${randomBase62(30)}` };
          await store.put('trade', key, renewed, sql);
          await store.put('prepay', renewed.prepay, { key, issued_at: clock.now().toISOString() }, sql);
          return ok(renewed);
        }
        const trade: TradeRecord = {
          mchid: req.mchid,
          appid: req.appid,
          out_trade_no: req.out_trade_no,
          trade_type: tradeType,
          description: req.description,
          attach: req.attach,
          notify_url: req.notify_url,
          time_expire: req.time_expire,
          total: req.amount.total,
          payer_client_ip: req.scene_info?.payer_client_ip,
          payer_openid: req.payer?.openid,
          state: 'NOTPAY',
          fingerprint,
          prepay: `wx${randomBase62(30)}`,
          create_time: wireTime(clock.now()),
          refund_nos: [],
          refunded: 0,
        };
        // FOR UPDATE locks no row that does not exist yet: of two first creates, the loser answers as a retry.
        if (!(await store.insert('trade', key, trade, sql))) return undefined;
        await store.put('prepay', trade.prepay, { key, issued_at: clock.now().toISOString() }, sql);
        return ok(trade);
      })
      .then((r) => r ?? createOrder(signer, req, tradeType));
  }

  const expired = (t: TradeRecord) =>
    t.time_expire !== undefined && clock.now().getTime() > new Date(t.time_expire).getTime();

  /** The customer pays (cashier or control): SUCCESS, then TRANSACTION.SUCCESS to notify_url. Paying twice changes nothing. */
  async function pay(key: string, coupon?: number): Promise<Outcome<TradeRecord>> {
    return store.withLock<TradeRecord, Outcome<TradeRecord>>('trade', key, async (t, sql) => {
      if (!t) return err(404, 'ORDER_NOT_EXIST', '订单不存在');
      if (t.state === 'SUCCESS' || t.state === 'REFUND') return ok(t);
      if (t.state === 'CLOSED') return err(400, 'ORDER_CLOSED', '订单已关闭');
      if (expired(t)) return err(400, 'ORDER_CLOSED', '订单已过期 (time_expire has passed)');
      if (coupon !== undefined && coupon >= t.total) return err(400, 'PARAM_ERROR', '代金券金额须小于订单金额');
      const paid: TradeRecord = {
        ...t,
        ...(coupon ? { coupon } : {}),
        state: 'SUCCESS',
        transaction_id: `42000${randomDigits(23)}`,
        success_time: wireTime(clock.now()),
      };
      await store.put('trade', key, paid, sql);
      await store.put('txn', paid.transaction_id!, { key }, sql);
      await notify(paid.notify_url, 'TRANSACTION.SUCCESS', transactionView(paid), sql);
      return ok(paid);
    });
  }

  /** The customer's payment fails: PAYERROR, no notification (WeChat notifies successes only). */
  async function fail(key: string): Promise<Outcome<TradeRecord>> {
    return store.withLock<TradeRecord, Outcome<TradeRecord>>('trade', key, async (t, sql) => {
      if (!t) return err(404, 'ORDER_NOT_EXIST', '订单不存在');
      if (t.state !== 'NOTPAY') return ok(t);
      const failed: TradeRecord = { ...t, state: 'PAYERROR' };
      await store.put('trade', key, failed, sql);
      return ok(failed);
    });
  }

  /** Re-entrant; a paid order cannot be closed (docs/protocols/wechatpay.md#close). */
  async function close(key: string): Promise<Outcome<TradeRecord>> {
    return store.withLock<TradeRecord, Outcome<TradeRecord>>('trade', key, async (t, sql) => {
      if (!t) return err(404, 'ORDER_NOT_EXIST', '订单不存在');
      if (t.state === 'SUCCESS' || t.state === 'REFUND') return err(400, 'ORDER_PAID', '订单已支付');
      if (t.state === 'CLOSED') return ok(t);
      const closed: TradeRecord = { ...t, state: 'CLOSED' };
      await store.put('trade', key, closed, sql);
      return ok(closed);
    });
  }

  async function resolveTradeKey(signer: string, req: RefundRequest): Promise<string | undefined> {
    if (req.out_trade_no) return tradeKey(signer, req.out_trade_no);
    return (await store.get<{ key: string }>('txn', req.transaction_id!))?.key;
  }

  async function createRefund(signer: string, req: RefundRequest): Promise<Outcome<RefundRecord>> {
    const created = await insertRefund(signer, req);
    if (created.ok && created.value.status === 'PROCESSING') {
      // Settles it when due even if nobody asks; reads settle it too (after a restart, say). unref: never keeps a process alive.
      const due = Math.max(0, new Date(created.value.due_at).getTime() - clock.now().getTime());
      setTimeout(() => void settleDue(created.value).catch(o.onBackgroundError), due + 20).unref();
    }
    return created;
  }

  async function insertRefund(signer: string, req: RefundRequest): Promise<Outcome<RefundRecord>> {
    const key = await resolveTradeKey(signer, req);
    if (!key) return err(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    const rKey = refundKey(signer, req.out_refund_no);
    return store.withLock<TradeRecord, Outcome<RefundRecord>>('trade', key, async (t, sql) => {
      if (!t || t.mchid !== signer) return err(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
      const existing = await store.get<RefundRecord>('refund', rKey, sql);
      if (existing) {
        // out_refund_no refunds at most once: a replay answers the refund as it now stands
        // (docs/protocols/wechatpay.md#refunds).
        if (existing.out_trade_no !== t.out_trade_no)
          return err(400, 'INVALID_REQUEST', '退款单号已用于其他订单 (out_refund_no belongs to another order)');
        return ok(existing);
      }
      if (t.state !== 'SUCCESS' && t.state !== 'REFUND')
        return err(403, 'TRADE_ERROR', '订单未支付，不能退款 (the order is not paid)');
      const detail = (field: string, value: unknown, issue: string): ParamDetail => ({
        field,
        value,
        issue,
        location: 'body',
      });
      if (req.amount.total !== t.total)
        return err(
          400,
          'PARAM_ERROR',
          '订单金额与实际支付金额不一致',
          detail('amount.total', req.amount.total, `order total is ${t.total}`),
        );
      if (req.amount.refund > t.total - t.refunded) {
        return err(
          400,
          'PARAM_ERROR',
          '申请退款金额超过订单可退金额',
          detail('amount.refund', req.amount.refund, `refundable is ${t.total - t.refunded}`),
        );
      }
      if (t.refund_nos.length >= o.maxRefundsPerTrade)
        return err(403, 'RULE_LIMIT', `订单退款次数超过 ${o.maxRefundsPerTrade} 次`);
      const now = clock.now();
      if (now.getTime() - new Date(t.success_time!).getTime() > o.refundWindowMs)
        return err(400, 'INVALID_REQUEST', '订单已超过退款期限');
      const refund: RefundRecord = {
        mchid: signer,
        refund_id: `50${randomDigits(27)}`,
        out_refund_no: req.out_refund_no,
        out_trade_no: t.out_trade_no,
        transaction_id: t.transaction_id!,
        status: 'PROCESSING',
        reason: req.reason,
        notify_url: req.notify_url,
        funds_account: req.funds_account,
        refund: req.amount.refund,
        total: t.total,
        // A coupon-paid order gives its coupon back in proportion (the customer never paid that part).
        ...(t.coupon
          ? { coupon_total: t.coupon, coupon_refund: Math.floor((req.amount.refund * t.coupon) / t.total) }
          : {}),
        create_time: wireTime(now),
        due_at: new Date(now.getTime() + o.refundDelayMs).toISOString(),
      };
      // Inserted, not overwritten: the same out_refund_no sent for two orders at once creates one refund.
      if (!(await store.insert('refund', rKey, refund, sql)))
        return err(400, 'INVALID_REQUEST', '退款单号已用于其他订单 (out_refund_no belongs to another order)');
      await store.put(
        'trade',
        key,
        {
          ...t,
          state: 'REFUND',
          refund_nos: [...t.refund_nos, refund.out_refund_no],
          refunded: t.refunded + refund.refund,
        },
        sql,
      );
      return ok(refund);
    });
  }

  /** Moves a PROCESSING (or ABNORMAL) refund on and sends its REFUND.* notification; final states stay. */
  async function settleRefund(
    signer: string,
    outRefundNo: string,
    to: Exclude<RefundStatus, 'PROCESSING'>,
  ): Promise<Outcome<RefundRecord>> {
    const rKey = refundKey(signer, outRefundNo);
    const found = await store.get<RefundRecord>('refund', rKey);
    if (!found) return err(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
    const key = tradeKey(signer, found.out_trade_no);
    return store.withLock<TradeRecord, Outcome<RefundRecord>>('trade', key, async (t, sql) => {
      const r = (await store.get<RefundRecord>('refund', rKey, sql))!;
      if (r.status !== 'PROCESSING' && r.status !== 'ABNORMAL') return ok(r);
      if (r.status === to) return ok(r);
      const settled: RefundRecord = {
        ...r,
        status: to,
        ...(to === 'SUCCESS' ? { success_time: wireTime(clock.now()) } : {}),
      };
      await store.put('refund', rKey, settled, sql);
      if (to === 'CLOSED' && t) await store.put('trade', key, { ...t, refunded: t.refunded - r.refund }, sql);
      await notify(settled.notify_url, `REFUND.${to}`, refundResource(settled), sql);
      return ok(settled);
    });
  }

  /** Refunds whose delay has passed succeed: run on reads and by the timer. */
  async function settleDue(only?: RefundRecord): Promise<void> {
    const now = clock.now().getTime();
    const candidates = only ? [only] : await store.find<RefundRecord>('refund', { status: 'PROCESSING' });
    for (const r of candidates) {
      if (r.status === 'PROCESSING' && new Date(r.due_at).getTime() <= now)
        await settleRefund(r.mchid, r.out_refund_no, 'SUCCESS');
    }
  }

  async function getRefund(signer: string, outRefundNo: string): Promise<RefundRecord | undefined> {
    const r = await store.get<RefundRecord>('refund', refundKey(signer, outRefundNo));
    if (!r) return undefined;
    await settleDue(r);
    return store.get<RefundRecord>('refund', refundKey(signer, outRefundNo));
  }

  const findTrade = (key: string) => store.get<TradeRecord>('trade', key);
  async function findByTransactionId(transactionId: string): Promise<TradeRecord | undefined> {
    const ref = await store.get<{ key: string }>('txn', transactionId);
    return ref ? findTrade(ref.key) : undefined;
  }
  async function findByPrepay(prepay: string): Promise<TradeRecord | undefined> {
    const ref = await store.get<{ key: string }>('prepay', prepay);
    return ref ? findTrade(ref.key) : undefined;
  }
  /** An h5_url opened more than 5 minutes after it was issued leads nowhere (H5下单: h5_url 有效期为5分钟). */
  async function isExpiredLink(prepay: string): Promise<boolean> {
    const ref = await store.get<{ key: string; issued_at?: string }>('prepay', prepay);
    const t = ref && (await findTrade(ref.key));
    if (!t || t.trade_type !== 'MWEB' || !ref.issued_at) return false;
    return clock.now().getTime() - new Date(ref.issued_at).getTime() > H5_URL_TTL_MS;
  }
  async function refundsOf(t: TradeRecord): Promise<RefundRecord[]> {
    const out: RefundRecord[] = [];
    for (const no of t.refund_nos) {
      const r = await getRefund(t.mchid, no);
      if (r) out.push(r);
    }
    return out;
  }

  return {
    createOrder,
    pay,
    fail,
    close,
    createRefund,
    settleRefund,
    settleDue,
    getRefund,
    findTrade,
    findByTransactionId,
    findByPrepay,
    isExpiredLink,
    refundsOf,
  };
}

export type TradeBook = ReturnType<typeof createTradeBook>;
