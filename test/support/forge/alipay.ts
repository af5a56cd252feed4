import { generateKeyPairSync } from 'node:crypto';
import { beijingDateTime } from '../../../src/lib/clock.ts';
import type { AlipaySandboxKeys } from '../../../sandbox/alipay/keys.ts';
import { alipayNotifyProtocol, tradeNotifyFields } from '../../../sandbox/alipay/notify.ts';
import type { SandboxTrade } from '../../../sandbox/alipay/trades.ts';
import type { OutgoingRequest } from '../../../sandbox/shared/notifier.ts';
import { deliver, flipOneChar, sandboxKeys, withFields, type MallUnderTest } from './common.ts';

export interface AlipayForgery {
  /** Field changes made BEFORE signing (so the signature holds): a string sets, null removes. */
  fields?: Record<string, string | null>;
  /** The private key that signs: the sandbox's "Alipay" key unless another PEM is given. */
  signWith?: string;
  /** Drops `sign` (and `sign_type`): an unsigned notification. */
  unsigned?: boolean;
  /** Changes made AFTER signing, on the decoded form as it goes on the wire. */
  after?: (form: Record<string, string>) => void;
  /** notify_time (default: the mall's clock). */
  at?: Date;
}

/**
 * Plays Alipay (docs/protocols/alipay.md#notifications) towards `${mall}/notify/alipay`: the sandbox's own key (from
 * sandbox_keys), the sandbox's own field builder (`tradeNotifyFields`) and signer (`alipayNotifyProtocol().render`), so
 * a forgery differs from a real notification only in what a test asks to change.
 */
export async function alipayForger(mall: MallUnderTest & { clock: { now(): Date } }) {
  const keys = await sandboxKeys<AlipaySandboxKeys>(mall.db, 'alipay');
  const url = `${mall.url}/notify/alipay`;

  /** The sandbox's record of an attempt (it exists once the QR code is scanned or the cashier opened). */
  async function tradeOf(paymentNo: string): Promise<SandboxTrade> {
    const res = await fetch(`${mall.url}/sandbox/alipay/_control/trades/${paymentNo}`);
    if (res.status !== 200) throw new Error(`the Alipay sandbox has no trade ${paymentNo}: open the cashier first`);
    return (await res.json()) as SandboxTrade;
  }

  /** The TRADE_SUCCESS fields Alipay sends once this trade is paid (its real ones if it is). */
  function paidFields(trade: SandboxTrade): Record<string, string> {
    const now = mall.clock.now();
    return tradeNotifyFields(
      {
        ...trade,
        status: 'TRADE_SUCCESS',
        gmtPayment: trade.gmtPayment ?? beijingDateTime(now),
        buyerId: trade.buyerId ?? '2088102177846880',
        buyerLogonId: trade.buyerLogonId ?? 'buy***@sandbox.test',
      },
      keys.sellerId,
    );
  }

  async function build(fields: Record<string, string>, f: AlipayForgery = {}): Promise<OutgoingRequest> {
    const protocol = alipayNotifyProtocol(f.signWith ?? keys.alipayPrivateKey);
    const req = await protocol.render({ url, fields: withFields(fields, f.fields) }, f.at ?? mall.clock.now());
    if (!f.unsigned && !f.after) return req;
    const form = Object.fromEntries(new URLSearchParams(req.body));
    if (f.unsigned) {
      delete form.sign;
      delete form.sign_type;
    }
    f.after?.(form);
    return { ...req, body: new URLSearchParams(form).toString() };
  }

  return {
    keys,
    tradeOf,
    paidFields,
    build,
    /** A payment notification for this attempt, built from the sandbox's trade and sent. */
    async payment(paymentNo: string, f: AlipayForgery = {}) {
      return deliver(await build(paidFields(await tradeOf(paymentNo)), f));
    },
  };
}

/** A key Alipay never issued. */
export const strangerKey = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

/** One byte of total_amount changed after signing: 12.80 → 12.81. */
export const tamperAmount = (form: Record<string, string>) =>
  void (form.total_amount = flipOneChar(form.total_amount!));
