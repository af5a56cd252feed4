import { randomBytes, randomInt } from 'node:crypto';
import { beijingCompact, beijingDateTime } from '../../src/lib/clock.ts';
import { fromYuanString } from '../../src/lib/money.ts';

/**
 * The trade_status values (docs/protocols/alipay.md#trade-status). The sandbox never invents a "failed" status: Alipay
 * has none.
 */
export type TradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';
export type TradeKind = 'precreate' | 'page' | 'wap' | 'barcode' | 'app' | 'jsapi';

export interface SandboxRefund {
  /**
   * The refund's out_request_no; the out_trade_no when the merchant sent none (docs/protocols/alipay.md#refund-query).
   */
  outRequestNo: string;
  amountFen: number;
  gmtRefund: string;
}

export interface SandboxTrade {
  appId: string;
  outTradeNo: string;
  tradeNo: string;
  kind: TradeKind;
  productCode: string;
  subject: string;
  totalFen: number;
  notifyUrl: string | null;
  returnUrl: string | null;
  /** wap's `quit_url`: the cashier's way back to the shop. Absent on trades stored before the sandbox kept it. */
  quitUrl?: string | null;
  passbackParams: string | null;
  qrCode: string | null;
  /**
   * The trade exists at Alipay: the QR code was scanned (precreate), or the buyer logged in or paid at the cashier
   * (page/wap; merely opening the cashier is not enough). Until then query, close and refund answer ACQ.TRADE_NOT_EXIST
   * (docs/protocols/alipay.md#precreate, A11). With modes.tradeCreation `request`, true from the start.
   */
  opened: boolean;
  status: TradeStatus;
  expiresAt: string;
  gmtCreate: string;
  gmtPayment: string | null;
  gmtClose: string | null;
  buyerId: string | null;
  buyerLogonId: string | null;
  refundFen: number;
  refunds: SandboxRefund[];
  /** Face-to-face: when the buyer, asked for a password, confirms (payment-codes.ts); null: never. */
  payAt?: string | null;
  /** alipay.trade.cancel's answer, kept so a repeated cancel answers the same. */
  cancelAction?: 'close' | 'refund';
}

/** 28 digits, date first, like Alipay's trade_no (2013112011001004330000121536). */
export function newTradeNo(now: Date): string {
  const tail = Array.from({ length: 20 }, () => String(randomInt(10))).join('');
  return `${beijingCompact(now).slice(0, 8)}${tail}`;
}

export function newQrToken(): string {
  return `bax${randomBytes(10).toString('hex')}`;
}

export function newNotifyId(): string {
  return randomBytes(16).toString('hex');
}

/** Amounts (docs/protocols/alipay.md#amounts): yuan with at most 2 decimals, 0.01–100000000. */
export function parseAmount(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const fen = fromYuanString(v);
  return fen !== null && fen >= 1 && fen <= 10_000_000_000 ? fen : null;
}

/** `yyyy-MM-dd HH:mm:ss`, Beijing time, to an instant. */
export function parseBeijing(v: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(v);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const utc = Date.UTC(y!, mo! - 1, d!, h! - 8, mi!, s!);
  const back = new Date(utc);
  return beijingDateTime(back) === v ? back : null;
}

/** `timeout_express`: 1m–15d in m/h/d, or `1c` (end of the Beijing day). */
export function parseTimeoutExpress(v: string, now: Date): Date | null {
  if (v === '1c') {
    const day = beijingDateTime(now).slice(0, 10);
    return parseBeijing(`${day} 23:59:59`);
  }
  const m = /^(\d+)([mhd])$/.exec(v);
  if (!m) return null;
  const minutes = Number(m[1]) * (m[2] === 'm' ? 1 : m[2] === 'h' ? 60 : 1440);
  if (minutes < 1 || minutes > 15 * 1440) return null;
  return new Date(now.getTime() + minutes * 60_000);
}

/** A waiting trade past its expiry closes (Alipay closes unpaid trades at time_expire/timeout_express). */
export function expireIfDue(t: SandboxTrade, now: Date): boolean {
  if (t.status !== 'WAIT_BUYER_PAY' || now.getTime() < new Date(t.expiresAt).getTime()) return false;
  t.status = 'TRADE_CLOSED';
  t.gmtClose = beijingDateTime(now);
  return true;
}

export const remainingFen = (t: SandboxTrade) => t.totalFen - t.refundFen;

/** An absolute http(s) address of at most `max` characters: what a cashier may put in a link. */
export function isWebAddress(value: string, max: number): boolean {
  if (value.length > max) return false;
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
