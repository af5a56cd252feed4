import { beijingDateTime } from '../../src/lib/clock.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { toYuanString } from '../../src/lib/money.ts';
import type { Sql } from '../../src/db/client.ts';
import type { Notifier } from '../shared/notifier.ts';
import type { RecordStore } from '../shared/store.ts';
import { business, invalidParameter, success, tradeNotExist, type ApiResult } from './errors.ts';
import type { AlipaySandboxKeys } from './keys.ts';
import type { AlipayModes } from './modes.ts';
import { tradeNotifyFields, type AlipayNotifyPayload } from './notify.ts';
import { confirmDuePassword } from './payment-codes.ts';
import {
  expireIfDue,
  isWebAddress,
  newQrToken,
  newTradeNo,
  parseAmount,
  parseBeijing,
  parseTimeoutExpress,
  remainingFen,
  type SandboxRefund,
  type SandboxTrade,
  type TradeKind,
} from './trades.ts';

export interface AlipayApiDeps {
  store: RecordStore;
  notifier: Notifier;
  clock: Clock;
  keys: AlipaySandboxKeys;
  /** Read at each call: the controls change them at run time. */
  modes: AlipayModes;
  /** `${publicUrl}/sandbox/alipay` */
  baseUrl: string;
  /** Divides the default trade lifetimes (2 h QR codes, 1 d cashier trades). */
  timeScale: number;
  /** Alipay-only notification faults: how many of the next notifications go out with a signature that fails. */
  notifyFaults: { badSignature: number };
}

type Biz = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const PRODUCT_CODES: Record<TradeKind, string> = {
  precreate: 'FACE_TO_FACE_PAYMENT',
  page: 'FAST_INSTANT_TRADE_PAY',
  wap: 'QUICK_WAP_WAY',
  barcode: 'FACE_TO_FACE_PAYMENT',
  app: 'QUICK_MSECURITY_PAY',
  jsapi: 'JSAPI_PAY',
};

/** The business half of the gateway: each API of docs/protocols/alipay.md#business-apis over the sandbox's records. */
export function createAlipayApis(deps: AlipayApiDeps) {
  const { store, clock, keys } = deps;
  const now = () => clock.now();

  async function notify(t: SandboxTrade, sql: Sql, refund?: SandboxRefund): Promise<void> {
    if (!t.notifyUrl) return;
    const fields = tradeNotifyFields(t, keys.sellerId, refund, deps.modes.notifyEmptyFields);
    const payload: AlipayNotifyPayload = { url: t.notifyUrl, fields };
    if (deps.notifyFaults.badSignature > 0) {
      deps.notifyFaults.badSignature--;
      payload.badSignature = true;
    }
    await deps.notifier.send('alipay', payload as unknown as Record<string, unknown>, sql);
  }

  /** Locks the trade, closes it if it expired (notifying), then lets fn act and saves what fn returns true for. */
  async function withTrade<R>(
    outTradeNo: string,
    fn: (t: SandboxTrade | undefined, sql: Sql) => Promise<{ result: R; save: boolean }>,
  ): Promise<R> {
    return store.withLock<SandboxTrade, R>('trade', outTradeNo, async (t, sql) => {
      let expired = false;
      // A face-to-face buyer who confirms on the phone meanwhile pays before anything else happens to the trade.
      const confirmed = !!t && confirmDuePassword(t, now());
      if (confirmed) await notify(t!, sql);
      if (t && expireIfDue(t, now())) {
        expired = true;
        if (t.opened) await notify(t, sql);
      }
      const { result, save } = await fn(t, sql);
      if (t && (save || expired || confirmed)) await store.put('trade', outTradeNo, t, sql);
      return result;
    });
  }

  /** `trade_no` wins over `out_trade_no` (docs/protocols/alipay.md#query). */
  async function outTradeNoOf(biz: Biz): Promise<string | undefined> {
    const tradeNo = str(biz.trade_no);
    if (tradeNo) return (await store.get<string>('trade_no', tradeNo)) ?? undefined;
    return str(biz.out_trade_no);
  }

  /** precreate, page.pay and wap.pay: a new trade, or the same one for an identical repeat. */
  async function createTrade(
    kind: TradeKind,
    biz: Biz,
    common: Record<string, string>,
  ): Promise<ApiResult & { trade?: SandboxTrade }> {
    const outTradeNo = str(biz.out_trade_no);
    if (!outTradeNo || !/^[A-Za-z0-9_]{1,64}$/.test(outTradeNo)) return invalidParameter('out_trade_no');
    const totalFen = parseAmount(biz.total_amount);
    if (totalFen === null) return invalidParameter('total_amount');
    const subject = str(biz.subject);
    if (!subject || subject.length > 256 || /[/=&]/.test(subject)) return invalidParameter('subject');
    const productCode = str(biz.product_code) ?? PRODUCT_CODES[kind];
    if (productCode !== PRODUCT_CODES[kind]) return invalidParameter('product_code');
    // wap only (docs/protocols/alipay.md#page-and-wap-pay), String(400); the cashier shows it as a link, so only http(s).
    const quitUrl = kind === 'wap' ? str(biz.quit_url) : undefined;
    if (quitUrl !== undefined && !isWebAddress(quitUrl, 400)) return invalidParameter('quit_url');
    const at = now();
    const expiresAt = str(biz.time_expire)
      ? parseBeijing(biz.time_expire as string)
      : str(biz.timeout_express)
        ? parseTimeoutExpress(biz.timeout_express as string, at)
        : new Date(at.getTime() + (kind === 'precreate' ? 2 * 3600_000 : 86_400_000) / deps.timeScale);
    if (!expiresAt || expiresAt.getTime() <= at.getTime())
      return invalidParameter(str(biz.time_expire) ? 'time_expire' : 'timeout_express');

    return withTrade(outTradeNo, async (existing, sql) => {
      if (existing) {
        const same = existing.kind === kind && existing.totalFen === totalFen && existing.subject === subject;
        if (existing.status === 'TRADE_SUCCESS' || existing.status === 'TRADE_FINISHED')
          return { result: business('ACQ.TRADE_HAS_SUCCESS', '交易已被支付'), save: false };
        if (existing.status === 'TRADE_CLOSED')
          return { result: business('ACQ.TRADE_HAS_CLOSE', '交易已经关闭'), save: false };
        if (!same) return { result: business('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改'), save: false };
        if (deps.modes.tradeCreation === 'request') existing.opened = true;
        return {
          result: { ...success({ out_trade_no: outTradeNo, qr_code: existing.qrCode }), trade: existing },
          save: true,
        };
      }
      const t: SandboxTrade = {
        appId: common.app_id!,
        outTradeNo,
        tradeNo: newTradeNo(at),
        kind,
        productCode,
        subject,
        totalFen,
        notifyUrl: common.notify_url || null,
        returnUrl: common.return_url || null,
        quitUrl: quitUrl ?? null,
        passbackParams: str(biz.passback_params) ?? null,
        qrCode: kind === 'precreate' ? `${deps.baseUrl}/qr/${newQrToken()}` : null,
        // page/wap: Alipay records the trade once the buyer logs in or pays at the cashier; precreate: once the
        // QR code is scanned. Until then query and close answer ACQ.TRADE_NOT_EXIST (modes.ts, tradeCreation).
        opened: deps.modes.tradeCreation === 'request',
        status: 'WAIT_BUYER_PAY',
        expiresAt: expiresAt.toISOString(),
        gmtCreate: beijingDateTime(at),
        gmtPayment: null,
        gmtClose: null,
        buyerId: null,
        buyerLogonId: null,
        refundFen: 0,
        refunds: [],
      };
      await store.put('trade', outTradeNo, t, sql);
      await store.put('trade_no', t.tradeNo, outTradeNo, sql);
      if (t.qrCode) await store.put('qr', t.qrCode.slice(t.qrCode.lastIndexOf('/') + 1), outTradeNo, sql);
      return { result: { ...success({ out_trade_no: outTradeNo, qr_code: t.qrCode }), trade: t }, save: false };
    });
  }

  async function query(biz: Biz): Promise<ApiResult> {
    const outTradeNo = await outTradeNoOf(biz);
    if (!outTradeNo) return tradeNotExist();
    return withTrade(outTradeNo, async (t) => {
      if (!t || !t.opened) return { result: tradeNotExist(), save: false };
      const paid = t.gmtPayment !== null;
      const total = toYuanString(t.totalFen);
      const result = success({
        trade_no: t.tradeNo,
        out_trade_no: t.outTradeNo,
        buyer_logon_id: t.buyerLogonId ?? undefined,
        trade_status: t.status,
        total_amount: total,
        receipt_amount: paid ? total : '0.00',
        buyer_pay_amount: paid ? total : '0.00',
        point_amount: '0.00',
        invoice_amount: paid ? total : '0.00',
        send_pay_date: t.gmtPayment ?? undefined,
        buyer_user_id: t.buyerId ?? undefined,
      });
      return { result, save: false };
    });
  }

  async function close(biz: Biz): Promise<ApiResult> {
    const outTradeNo = await outTradeNoOf(biz);
    if (!outTradeNo) return tradeNotExist();
    return withTrade(outTradeNo, async (t, sql) => {
      if (!t) return { result: tradeNotExist(), save: false };
      if (!t.opened) {
        // docs/protocols/alipay.md#u3: the close "fails" (no trade yet); whether a later payment is still possible is
        // unconfirmed: modes.closeBeforeBuyer offers both.
        const block = t.status === 'WAIT_BUYER_PAY' && deps.modes.closeBeforeBuyer === 'blocks_payment';
        if (block) Object.assign(t, { status: 'TRADE_CLOSED', gmtClose: beijingDateTime(now()) });
        return { result: tradeNotExist(), save: block };
      }
      // docs/protocols/alipay.md#u4: a paid or already closed trade answers ACQ.TRADE_STATUS_ERROR.
      if (t.status !== 'WAIT_BUYER_PAY')
        return { result: business('ACQ.TRADE_STATUS_ERROR', '交易状态不合法'), save: false };
      t.status = 'TRADE_CLOSED';
      t.gmtClose = beijingDateTime(now());
      await notify(t, sql);
      return { result: success({ trade_no: t.tradeNo, out_trade_no: t.outTradeNo }), save: true };
    });
  }

  async function refund(biz: Biz): Promise<ApiResult> {
    const outTradeNo = await outTradeNoOf(biz);
    if (!outTradeNo) return tradeNotExist();
    const amount = parseAmount(biz.refund_amount);
    if (amount === null) return invalidParameter('refund_amount');
    const requestNo = str(biz.out_request_no);
    if (requestNo !== undefined && requestNo.length > 64) return invalidParameter('out_request_no');
    return withTrade(outTradeNo, async (t, sql) => {
      const no = (result: ApiResult) => ({ result, save: false });
      if (!t || !t.opened) return no(tradeNotExist());
      const key = requestNo ?? t.outTradeNo;
      const reply = (r: SandboxRefund, fundChange: 'Y' | 'N') =>
        success({
          trade_no: t.tradeNo,
          out_trade_no: t.outTradeNo,
          buyer_logon_id: t.buyerLogonId ?? undefined,
          fund_change: fundChange,
          refund_fee: toYuanString(t.refundFen),
          gmt_refund_pay: r.gmtRefund,
          send_back_fee: toYuanString(r.amountFen),
        });
      const earlier = t.refunds.find((r) => r.outRequestNo === key);
      if (earlier) {
        // The idempotency key of docs/protocols/alipay.md#refund: a repeat moves no money; a different amount under it
        // is refused.
        if (earlier.amountFen !== amount) return no(business('ACQ.DISCORDANT_REPEAT_REQUEST', '不一致的请求重复'));
        return no(reply(earlier, 'N'));
      }
      if (t.status === 'TRADE_FINISHED') return no(business('ACQ.TRADE_HAS_FINISHED', '交易已完结'));
      if (t.status !== 'TRADE_SUCCESS') return no(business('ACQ.TRADE_STATUS_ERROR', '交易状态不合法'));
      if (requestNo === undefined && amount !== t.totalFen)
        return no(business('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额与交易金额不相等'));
      if (amount > remainingFen(t)) return no(business('ACQ.REASON_TRADE_REFUND_FEE_ERR', '退款金额超限'));
      const r: SandboxRefund = { outRequestNo: key, amountFen: amount, gmtRefund: beijingDateTime(now()) };
      t.refunds.push(r);
      t.refundFen += amount;
      if (t.refundFen === t.totalFen) {
        t.status = 'TRADE_CLOSED';
        t.gmtClose = r.gmtRefund;
      }
      // docs/protocols/alipay.md#notification-triggers: every refund causes one trade notification (TRADE_SUCCESS
      // partial, TRADE_CLOSED full).
      await notify(t, sql, r);
      return { result: reply(r, 'Y'), save: true };
    });
  }

  async function refundQuery(biz: Biz): Promise<ApiResult> {
    const requestNo = str(biz.out_request_no);
    if (!requestNo) return invalidParameter('out_request_no');
    const outTradeNo = await outTradeNoOf(biz);
    const t = outTradeNo ? await store.get<SandboxTrade>('trade', outTradeNo) : undefined;
    if (!t || !t.opened) return tradeNotExist();
    const r = t.refunds.find((x) => x.outRequestNo === requestNo);
    const options = Array.isArray(biz.query_options) ? biz.query_options : [];
    // docs/protocols/alipay.md#refund-query: a refund that is not there is answered 10000 without refund_status.
    if (!r) return success({ trade_no: t.tradeNo, out_trade_no: t.outTradeNo, out_request_no: requestNo });
    return success({
      trade_no: t.tradeNo,
      out_trade_no: t.outTradeNo,
      out_request_no: requestNo,
      total_amount: toYuanString(t.totalFen),
      refund_amount: toYuanString(r.amountFen),
      refund_status: 'REFUND_SUCCESS',
      gmt_refund_pay: options.includes('gmt_refund_pay') ? r.gmtRefund : undefined,
    });
  }

  return { createTrade, query, close, refund, refundQuery, withTrade, notify };
}

export type AlipayApis = ReturnType<typeof createAlipayApis>;
