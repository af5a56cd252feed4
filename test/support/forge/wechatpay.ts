import { randomInt } from 'node:crypto';
import { beijingRfc3339 } from '../../../src/lib/clock.ts';
import type { OutgoingRequest } from '../../../sandbox/shared/notifier.ts';
import { createGatewayCrypto } from '../../../sandbox/wechatpay/crypto.ts';
import type { WechatpaySandboxKeys } from '../../../sandbox/wechatpay/keys.ts';
import { fixedPlatform } from '../../../sandbox/wechatpay/platform.ts';
import { notification, wechatpayNotifyProtocol, type EventType } from '../../../sandbox/wechatpay/notify.ts';
import { deliver, flipOneChar, sandboxKeys, type MallUnderTest } from './common.ts';

export interface WechatpayForgery {
  /** Changes to the plain resource BEFORE it is encrypted and signed (null removes a field). */
  resource?: Record<string, unknown>;
  eventType?: EventType;
  /** The signing time: Wechatpay-Timestamp (default: the mall's clock). */
  at?: Date;
  /** Signs with another platform private key (PEM), under the real serial. */
  signWith?: string;
  /** Sends this Wechatpay-Serial (the key used is still the real one). */
  serial?: string;
  /** Encrypts the resource with another APIv3 key (32 ASCII bytes). */
  apiV3Key?: string;
  /** A `WECHATPAY/SIGNTEST/` signature probe (docs/protocols/wechatpay.md#signature-probe). */
  probe?: boolean;
  /** Changes AFTER signing, on the request as it goes on the wire. */
  after?: (req: { headers: Record<string, string>; body: string }) => void;
}

interface TransactionView {
  transaction: Record<string, unknown> & { amount: { total: number }; transaction_id?: string; success_time?: string };
}

/**
 * Plays WeChat Pay v3 (docs/protocols/wechatpay.md#notifications) towards `${mall}/notify/wechatpay` with the sandbox's
 * own keys, its envelope builder (`notification`), its AES-256-GCM and its header signer (`wechatpayNotifyProtocol`).
 */
export async function wechatpayForger(mall: MallUnderTest & { clock: { now(): Date } }) {
  const keys = await sandboxKeys<WechatpaySandboxKeys>(mall.db, 'wechatpay');
  const url = `${mall.url}/notify/wechatpay`;

  /** The sandbox's transaction for an attempt (it exists once the order is created at WeChat). */
  async function transactionOf(paymentNo: string): Promise<TransactionView['transaction']> {
    const res = await fetch(`${mall.url}/sandbox/wechatpay/_control/trades/${paymentNo}`);
    if (res.status !== 200) throw new Error(`the WeChat Pay sandbox has no trade ${paymentNo}`);
    return ((await res.json()) as TransactionView).transaction;
  }

  /** The TRANSACTION.SUCCESS resource WeChat sends once this trade is paid (its real one if it is). */
  function paidResource(tx: TransactionView['transaction']): Record<string, unknown> {
    const total = tx.amount.total;
    return {
      ...tx,
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      transaction_id: tx.transaction_id ?? `42000${Array.from({ length: 23 }, () => randomInt(10)).join('')}`,
      bank_type: 'OTHERS',
      success_time: tx.success_time ?? beijingRfc3339(mall.clock.now()),
      payer: { openid: `o-sandbox-${keys.mchId}` },
      amount: { total, payer_total: total, currency: 'CNY', payer_currency: 'CNY' },
    };
  }

  async function build(resource: Record<string, unknown>, f: WechatpayForgery = {}): Promise<OutgoingRequest> {
    const crypto = createGatewayCrypto(
      { ...keys, ...(f.apiV3Key ? { apiV3Key: f.apiV3Key } : {}) },
      fixedPlatform(f.serial ?? keys.platformKeyId, f.signWith ?? keys.platformPrivateKey),
    );
    const at = f.at ?? mall.clock.now();
    const changed: Record<string, unknown> = { ...resource };
    for (const [k, v] of Object.entries(f.resource ?? {})) {
      if (v === null) delete changed[k];
      else changed[k] = v;
    }
    const envelope = notification(url, f.eventType ?? 'TRANSACTION.SUCCESS', changed, at, f.probe ?? false);
    const req = await wechatpayNotifyProtocol(crypto).render(envelope, at);
    if (!f.after) return req;
    const wire = { headers: { ...req.headers }, body: req.body };
    f.after(wire);
    return { ...req, ...wire };
  }

  return {
    keys,
    transactionOf,
    paidResource,
    build,
    /** A TRANSACTION.SUCCESS notification for this attempt, built from the sandbox's transaction and sent. */
    async payment(paymentNo: string, f: WechatpayForgery = {}) {
      return deliver(await build(paidResource(await transactionOf(paymentNo)), f));
    },
  };
}

/** One character of the encrypted resource changed after signing. */
export function tamperCiphertext(req: { body: string }): void {
  const at = req.body.indexOf('"ciphertext":"') + '"ciphertext":"'.length + 10;
  req.body = flipOneChar(req.body, at);
}

/** The signature headers removed: an unsigned notification. */
export function unsign(req: { headers: Record<string, string> }): void {
  delete req.headers['Wechatpay-Signature'];
  delete req.headers['Wechatpay-Signature-Type'];
}
