import { X509Certificate, type KeyObject } from 'node:crypto';
import type { Clock } from '../../src/lib/clock.ts';
import { RESP, type Resp } from './codes.ts';
import { parseBeijingCompact } from './records.ts';
import { decimalSerial, verifyFields, type Fields } from './wire.ts';

/** The merchants this gateway knows: certId → merId and public key, as registered with UnionPay. */
export interface MerchantRegistry {
  byCertId: Map<string, { merId: string; publicKey: KeyObject }>;
}

export function registry(merId: string, merchantCert: string): MerchantRegistry {
  return {
    byCertId: new Map([
      [decimalSerial(merchantCert), { merId, publicKey: new X509Certificate(merchantCert).publicKey }],
    ]),
  };
}

/** Requests are ordinary forms, decoded once. */
export function formFields(body: string): Fields {
  const out: Fields = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

/** signMethod 01 with the certificate registered under certId, for the merId the request names. */
export function checkSignature(f: Fields, merchants: MerchantRegistry): Resp | null {
  if (f.signMethod !== '01') return RESP.format('signMethod只支持01');
  const merchant = f.certId ? merchants.byCertId.get(f.certId) : undefined;
  if (!merchant || merchant.merId !== f.merId || !verifyFields(f, merchant.publicKey)) return RESP.badSignature;
  return null;
}

/**
 * How far a new transaction's txnTime (a refund, an undo, a file request) may be from the gateway's now: a few
 * minutes, as UnionPay's demos warn ("txnTime无效"); the exact tolerance is unpublished, so this is the sandbox's
 * choice (docs/sandbox/unionpay.md). A request resent with its old txnTime is refused: a resend needs a new
 * orderId with the time of sending.
 */
export const TXN_TIME_PAST_MS = 10 * 60_000;
export const TXN_TIME_FUTURE_MS = 5 * 60_000;
/**
 * A consume (frontTransReq.do) is stricter: its txnTime is the time the browser's form was signed, and a form
 * older than this is refused (txnTime无效), so a merchant serving a stale saved form finds out. A few minutes,
 * as UnionPay's demos warn; the exact tolerance is unpublished (docs/sandbox/unionpay.md).
 */
export const CONSUME_TXN_TIME_PAST_MS = 10 * 60_000;

/** The consume's own age check; queries carry the original txnTime and never pass through it. */
export function checkConsumeTxnTime(f: Fields, clock: Clock): Resp | null {
  const at = f.txnTime ? parseBeijingCompact(f.txnTime) : null;
  if (!at || at.getTime() < clock.now().getTime() - CONSUME_TXN_TIME_PAST_MS) return RESP.format('txnTime无效');
  return null;
}

const URL_NO_QUERY = /^https?:\/\/[^\s?#]+$/;

/** Field rules common to consume, refund and query (docs/protocols/unionpay.md#fields). Answers the first violation. */
export function checkFields(
  f: Fields,
  required: readonly string[],
  clock: Clock,
  opts: { txnTimeIsNow: boolean },
): Resp | null {
  for (const k of required) if (!f[k]) return RESP.missing(k);
  if (f.version !== '5.1.0') return RESP.format('version无效');
  if (f.encoding?.toUpperCase() !== 'UTF-8') return RESP.format('encoding无效');
  if (f.accessType !== '0') return RESP.format('accessType无效');
  if (f.orderId !== undefined && !/^[0-9A-Za-z]{8,40}$/.test(f.orderId)) return RESP.format('orderId无效');
  if (f.txnTime !== undefined) {
    // A query's txnTime is the queried transaction's, so only new transactions must be near now.
    const at = parseBeijingCompact(f.txnTime);
    const now = clock.now().getTime();
    if (
      !at ||
      (opts.txnTimeIsNow && (at.getTime() < now - TXN_TIME_PAST_MS || at.getTime() > now + TXN_TIME_FUTURE_MS))
    )
      return RESP.format('txnTime无效');
  }
  if (f.txnAmt !== undefined && !/^[1-9]\d{0,11}$/.test(f.txnAmt)) return RESP.format('txnAmt无效');
  if (f.currencyCode !== undefined && f.currencyCode !== '156') return RESP.format('currencyCode无效');
  if (f.channelType !== undefined && f.channelType !== '07' && f.channelType !== '08')
    return RESP.format('channelType无效');
  for (const k of ['backUrl', 'frontUrl'] as const) {
    // A query string in backUrl/frontUrl leaks into the merchant's parsed map (U2 BackRcvResponse).
    if (f[k] !== undefined && !URL_NO_QUERY.test(f[k])) return RESP.format(`${k}无效`);
  }
  return null;
}
