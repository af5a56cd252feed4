import { createPrivateKey, randomInt, type KeyObject } from 'node:crypto';
import type { Clock } from '../../src/lib/clock.ts';
import type { RecordStore } from '../shared/store.ts';
import { issuePlatformCertificate, type PlatformCertificate } from './certificate.ts';
import type { WechatpaySandboxKeys } from './keys.ts';

/**
 * The three states a real merchant can be in (docs/sandbox/wechatpay.md):
 * - `certificate`: an older merchant on platform certificates, served by GET /v3/certificates and rotated;
 * - `public_key`: a merchant with only the WeChat Pay public key (every merchant registered since late 2024),
 *   for whom GET /v3/certificates answers 404 RESOURCE_NOT_EXISTS "无可用的平台证书…" (captured in
 *   wechatpay-java#306, WxJava#3412);
 * - `migrating`: both; an answer is signed with the key the request's `Wechatpay-Serial` names, a
 *   notification with either at random (pay.weixin.qq.com/doc/v3/merchant/4012154180, the switch guide).
 */
export const MERCHANT_STATES = ['certificate', 'public_key', 'migrating'] as const;
export type MerchantState = (typeof MERCHANT_STATES)[number];

/** New certificates enter the list this long before the old one is retired ("提前24小时", download-certificates doc). */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;
const CERT_LIFETIME_MS = 5 * 365 * 24 * 3600_000;

interface PlatformState {
  state: MerchantState;
  certs: PlatformCertificate[];
}

export interface PlatformSigner {
  serial: string;
  key: KeyObject;
}

export async function createPlatform(deps: {
  store: RecordStore;
  clock: Clock;
  keys: WechatpaySandboxKeys;
  initial?: MerchantState;
  /** Which key a migrating merchant's notification is signed with: < 0.5 the public key (tests pin it). */
  random?: () => number;
}) {
  const random = deps.random ?? (() => randomInt(2) / 2);
  const { store, clock, keys } = deps;
  const issue = (from: Date) => issuePlatformCertificate(keys.mchId, from, new Date(from.getTime() + CERT_LIFETIME_MS));
  // A certificate (an RSA key generation) only once a state needs one: most starts never do.
  const withCerts = (st: PlatformState): PlatformState =>
    st.state === 'public_key' || st.certs.length ? st : { ...st, certs: [issue(clock.now())] };
  let current: PlatformState = (await store.get<PlatformState>('platform', 'state')) ?? {
    state: 'public_key',
    certs: [],
  };
  current = withCerts(deps.initial ? { ...current, state: deps.initial } : current);
  await store.put('platform', 'state', current);
  const publicKey: PlatformSigner = { serial: keys.platformKeyId, key: createPrivateKey(keys.platformPrivateKey) };
  const signerOf = (c: PlatformCertificate): PlatformSigner => ({
    serial: c.serial,
    key: createPrivateKey(c.privateKey),
  });

  /** Certificates WeChat still serves: not yet retired. */
  const live = () => current.certs.filter((c) => new Date(c.expireAt).getTime() > clock.now().getTime());
  /** The newest live certificate signs unless the request names another live one. */
  const newest = () => live().at(-1) ?? current.certs.at(-1)!;

  return {
    get state() {
      return current.state;
    },
    certificates: live,
    async setState(state: MerchantState) {
      current = withCerts({ ...current, state });
      await store.put('platform', 'state', current);
    },
    /** A new certificate served alongside the old, which is retired after the overlap (download-certificates doc). */
    async rotate(): Promise<PlatformCertificate> {
      const now = clock.now();
      const retireAt = new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString();
      const fresh = issue(now);
      current = {
        ...current,
        certs: [...live().map((c) => (c.expireAt > retireAt ? { ...c, expireAt: retireAt } : c)), fresh],
      };
      await store.put('platform', 'state', current);
      return fresh;
    },
    /** Who signs an API answer, given the request's `Wechatpay-Serial` (absent: the merchant's default key). */
    responseSigner(requestSerial: string | null): PlatformSigner {
      if (current.state === 'public_key') return publicKey;
      const named = live().find((c) => c.serial === requestSerial);
      if (named) return signerOf(named);
      if (current.state === 'migrating' && requestSerial === publicKey.serial) return publicKey;
      return signerOf(newest());
    },
    notificationSigner(): PlatformSigner {
      if (current.state === 'public_key') return publicKey;
      if (current.state === 'migrating' && random() < 0.5) return publicKey;
      return signerOf(newest());
    },
  };
}

export type Platform = Awaited<ReturnType<typeof createPlatform>>;

/** One key signing everything, under one serial: for a forger in tests (test/support/forge). */
export function fixedPlatform(
  serial: string,
  privateKeyPem: string,
): Pick<Platform, 'responseSigner' | 'notificationSigner'> {
  const signer = { serial, key: createPrivateKey(privateKeyPem) };
  return { responseSigner: () => signer, notificationSigner: () => signer };
}
