import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { bits, bool, explicit, nullValue, octets, oid, seq, set, time, uint, utf8 } from './der.ts';

/** A certificate and its PEM private key. */
export interface Issued {
  cert: string;
  key: string;
}

export interface IssueOptions {
  /** Relative distinguished names in order, e.g. [['C','CN'],['O','China UnionPay'],['CN','…']]. */
  subject: [string, string][];
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  /** Omitted: self-signed. */
  issuer?: { subject: [string, string][]; key: string; cert: string };
}

const ATTR: Record<string, string> = { C: '2.5.4.6', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3' };
const SHA256_RSA = seq(oid('1.2.840.113549.1.1.11'), nullValue());

const name = (rdns: [string, string][]) => seq(...rdns.map(([k, v]) => set(seq(oid(ATTR[k]!), utf8(v)))));
const extension = (id: string, critical: boolean, value: Buffer) =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
/** RFC 5280 §4.2.1.2 method (1), simplified to the hash of the whole SPKI. */
const keyId = (spki: Buffer) => createHash('sha1').update(spki).digest();

/** Issues an RSA-2048 / SHA256withRSA X.509 v3 certificate with a fresh key (a CA, or a signing leaf). */
export function issueCertificate(opts: IssueOptions): Issued {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const signerKey = opts.issuer ? createPrivateKey(opts.issuer.key) : privateKey;
  const signerSpki = opts.issuer ? createPublicKey(opts.issuer.cert).export({ type: 'spki', format: 'der' }) : spki;
  // 64-bit positive serial: UnionPay's certId is its decimal form.
  const serial = BigInt(`0x${randomBytes(8).toString('hex')}`) & 0x7fffffffffffffffn;
  const extensions = [
    extension('2.5.29.19', true, opts.ca ? seq(bool(true)) : seq()),
    // keyCertSign+cRLSign for CAs, digitalSignature+nonRepudiation for signing certificates.
    extension('2.5.29.15', true, opts.ca ? bits(Buffer.from([0x06]), 1) : bits(Buffer.from([0xc0]), 6)),
    extension('2.5.29.14', false, octets(keyId(spki))),
    extension('2.5.29.35', false, seq(Buffer.concat([Buffer.from([0x80, 20]), keyId(signerSpki)]))),
  ];
  const tbs = seq(
    explicit(0, uint(2n)),
    uint(serial || 1n),
    SHA256_RSA,
    name(opts.issuer?.subject ?? opts.subject),
    seq(time(opts.notBefore), time(opts.notAfter)),
    name(opts.subject),
    spki,
    explicit(3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, signerKey);
  const der = seq(tbs, SHA256_RSA, bits(signature));
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}
