import { X509Certificate } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';

/** The owner UnionPay's signing certificates name in the third `@` part of their CN (demo `CertUtil`). */
export const UNIONPAY_OWNER = '中国银联股份有限公司';

export type CertCheck = { ok: true; cert: X509Certificate } | { ok: false; message: string };

export interface TrustAnchors {
  root: X509Certificate;
  middle: X509Certificate;
  checkOwner: boolean;
  /** Gateway certificates already found to chain to the anchors (and be UnionPay's), by PEM. */
  chained: Map<string, X509Certificate>;
}

export function trustAnchors(rootPem: string, middlePem: string, checkOwner: boolean): TrustAnchors {
  return { root: new X509Certificate(rootPem), middle: new X509Certificate(middlePem), checkOwner, chained: new Map() };
}

const issuedBy = (cert: X509Certificate, issuer: X509Certificate) =>
  cert.checkIssued(issuer) && cert.verify(issuer.publicKey);

function withinValidity(cert: X509Certificate, now: Date): boolean {
  const t = now.getTime();
  return new Date(cert.validFrom).getTime() <= t && t <= new Date(cert.validTo).getTime();
}

/**
 * Trusts the `signPubKeyCert` a message carries only when it chains to the configured middle and root
 * certificates, is valid at the injected clock's now, and (by default) is UnionPay's own: demo
 * `CertUtil.verifyCertificate` (docs/protocols/unionpay.md#gateway-certificate).
 */
export function checkGatewayCert(pem: string, anchors: TrustAnchors, clock: Clock): CertCheck {
  const { root, middle } = anchors;
  // Chain and owner do not change with time: a certificate that passed them once is not parsed and
  // verified again on every message (the gateway signs everything with the same one). Dates are.
  let cert = anchors.chained.get(pem);
  if (!cert) {
    try {
      cert = new X509Certificate(pem);
    } catch {
      return { ok: false, message: 'signPubKeyCert is not a certificate' };
    }
    if (!middle.ca || !issuedBy(middle, root) || !issuedBy(cert, middle)) {
      return { ok: false, message: 'signPubKeyCert does not chain to the configured middle and root certificates' };
    }
  }
  const now = clock.now();
  if (!withinValidity(cert, now) || !withinValidity(middle, now)) {
    return {
      ok: false,
      message: `signPubKeyCert is not valid at ${now.toISOString()} (${cert.validFrom} – ${cert.validTo})`,
    };
  }
  if (anchors.checkOwner) {
    const cn =
      cert.subject
        .split('\n')
        .find((l) => l.startsWith('CN='))
        ?.slice(3) ?? '';
    if (cn.split('@')[2] !== UNIONPAY_OWNER)
      return { ok: false, message: `signPubKeyCert is not UnionPay's (CN ${cn})` };
  }
  if (anchors.chained.size < 16) anchors.chained.set(pem, cert);
  return { ok: true, cert };
}
