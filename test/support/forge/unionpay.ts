import { createPrivateKey } from 'node:crypto';
import type { OutgoingRequest } from '../../../sandbox/shared/notifier.ts';
import { RESP } from '../../../sandbox/unionpay/codes.ts';
import { generateUnionpayKeys, type UnionpayKeyMaterial } from '../../../sandbox/unionpay/keys.ts';
import { unionpayNotifyProtocol } from '../../../sandbox/unionpay/notify.ts';
import { resultFields, traceOf, type TxnRecord } from '../../../sandbox/unionpay/records.ts';
import { deliver, flipOneChar, sandboxKeys, withFields, type MallUnderTest } from './common.ts';

/** A signing certificate (sent as signPubKeyCert) and the private key that signs with it. */
export interface Signer {
  cert: string;
  key: string;
}

export interface UnionpayForgery {
  /** Field changes BEFORE signing (a string sets, null removes). */
  fields?: Record<string, string | null>;
  /** Who signs: the sandbox gateway's certificate and key unless given. */
  signer?: Signer;
  /** Changes AFTER signing, on the decoded form as it goes on the wire. */
  after?: (form: Record<string, string>) => void;
}

/**
 * Plays UnionPay's gateway (docs/protocols/unionpay.md#signature, docs/protocols/unionpay.md#notifications) towards
 * `${mall}/notify/unionpay` with the sandbox's own certificates and keys, its field builder (`resultFields`) and signer
 * (`unionpayNotifyProtocol`).
 */
export async function unionpayForger(mall: MallUnderTest & { clock: { now(): Date } }) {
  const keys = await sandboxKeys<UnionpayKeyMaterial>(mall.db, 'unionpay');
  const url = `${mall.url}/notify/unionpay`;
  const gateway: Signer = { cert: keys.gatewayCert, key: keys.gatewayKey };
  // Generated here, before any request: key generation blocks the event loop the mall's server shares
  // with these tests, and a keep-alive socket closing meanwhile would reset the next request.
  const stranger = generateUnionpayKeys(mall.clock.now(), keys.merId);

  /** The sandbox's consume for an attempt (it exists once the browser has posted the form). */
  async function consumeOf(paymentNo: string): Promise<TxnRecord> {
    const res = await fetch(`${mall.url}/sandbox/unionpay/_control/trades/${paymentNo}`);
    const body = (await res.json()) as TxnRecord & { error?: string };
    if (res.status !== 200 || body.type !== 'consume')
      throw new Error(`the UnionPay sandbox has no consume ${paymentNo}: post the form first`);
    return body;
  }

  /** The back notification UnionPay sends for this consume once paid (its real fields if it is). */
  function paidFields(t: TxnRecord): Record<string, string> {
    return resultFields(t.traceNo ? t : { ...t, ...traceOf(mall.clock.now()) }, RESP.ok);
  }

  async function build(fields: Record<string, string>, f: UnionpayForgery = {}): Promise<OutgoingRequest> {
    const signer = f.signer ?? gateway;
    const req = await unionpayNotifyProtocol(signer.cert, createPrivateKey(signer.key)).render(
      { backUrl: url, fields: withFields(fields, f.fields) },
      mall.clock.now(),
    );
    if (!f.after) return req;
    const form = Object.fromEntries(new URLSearchParams(req.body));
    f.after(form);
    return { ...req, body: new URLSearchParams(form).toString() };
  }

  return {
    keys,
    gateway,
    consumeOf,
    paidFields,
    build,
    /** A consume's back notification, built from the sandbox's record and sent. */
    async payment(paymentNo: string, f: UnionpayForgery = {}) {
      return deliver(await build(paidFields(await consumeOf(paymentNo)), f));
    },
    /** UnionPay-like chain from another root: a gateway certificate with the right CN that the mall never trusted. */
    otherRoot: { cert: stranger.gatewayCert, key: stranger.gatewayKey } as Signer,
    /** The merchant's own certificate: issued by the same middle CA, but its CN is not UnionPay's. */
    wrongCn: { cert: keys.merchantCert, key: keys.merchantKey } as Signer,
    /** The real gateway certificate with another private key. */
    otherKey: { cert: keys.gatewayCert, key: stranger.merchantKey } as Signer,
  };
}

/** One byte of txnAmt changed after signing. */
export const tamperAmount = (form: Record<string, string>) => void (form.txnAmt = flipOneChar(form.txnAmt!));
