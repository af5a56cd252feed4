import type { Clock } from '../../lib/clock.ts';
import type { AcpFields } from './acp-fields.ts';
import { verifyAcp } from './acp-signature.ts';
import { checkGatewayCert, type TrustAnchors } from './gateway-cert.ts';

export type Verified = { ok: true } | { ok: false; message: string };

/**
 * Everything UnionPay signs (sync responses, back notifications, frontUrl posts) carries its signing
 * certificate: trust the certificate first, then check the signature with its key. `signPubKeyCert`
 * is itself part of the signed string, CRLFs included (docs/protocols/unionpay.md#signature).
 */
export function verifyGatewayMessage(fields: AcpFields, anchors: TrustAnchors, clock: Clock): Verified {
  const signature = fields.signature;
  const certPem = fields.signPubKeyCert;
  if (!signature || !certPem) return { ok: false, message: 'unsigned: signature or signPubKeyCert missing' };
  if (fields.signMethod !== '01')
    return { ok: false, message: `unsupported signMethod ${fields.signMethod ?? '(none)'}` };
  const cert = checkGatewayCert(certPem, anchors, clock);
  if (!cert.ok) return cert;
  if (!verifyAcp(fields, signature, cert.cert.publicKey)) return { ok: false, message: 'signature does not verify' };
  return { ok: true };
}
