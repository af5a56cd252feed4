import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateUnionpayKeys, type UnionpayKeyMaterial } from '../../../sandbox/unionpay/keys.ts';
import { signingString } from '../../../src/providers/unionpay/acp-fields.ts';
import { certIdOf, signAcp, verifyAcp } from '../../../src/providers/unionpay/acp-signature.ts';

/** The OpenSSL 3 CLI as an independent oracle for signMethod 01 and for the sandbox's certificate chain. */
let dir: string;
let keys: UnionpayKeyMaterial;
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const openssl = (...args: string[]) => execFileSync('/usr/bin/openssl', args, { encoding: 'utf8' });
const fields = {
  merId: '777290058110097',
  orderId: 'P20261125000001',
  txnAmt: '1999',
  txnTime: '20261125200000',
  frontUrl: 'https://mall.test/return/unionpay',
  certId: '1',
};
/** What UnionPay's RSA actually covers: the lowercase hex SHA-256 of the sorted string, as text. */
const hexDigestFile = () =>
  file('digest.txt', createHash('sha256').update(signingString(fields), 'utf8').digest('hex'));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'unionpay-openssl-'));
  keys = generateUnionpayKeys(new Date());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('signMethod 01 checked with the openssl CLI', () => {
  it('produces a signature that openssl dgst -sha256 -verify accepts over the hex digest', () => {
    const signature = signAcp(fields, keys.merchantKey);
    const pub = file(
      'merchant.pub.pem',
      new X509Certificate(keys.merchantCert).publicKey.export({ type: 'spki', format: 'pem' }) as string,
    );
    const sig = file('ours.sig', Buffer.from(signature, 'base64'));
    expect(openssl('dgst', '-sha256', '-verify', pub, '-signature', sig, hexDigestFile())).toContain('Verified OK');
  });

  it('verifies a signature made by openssl dgst -sha256 -sign, and rejects it for other fields', () => {
    const key = file('merchant.key.pem', keys.merchantKey);
    const sig = join(dir, 'openssl.sig');
    openssl('dgst', '-sha256', '-sign', key, '-out', sig, hexDigestFile());
    const signature = readFileSync(sig).toString('base64');
    const publicKey = new X509Certificate(keys.merchantCert).publicKey;
    expect(verifyAcp(fields, signature, publicKey)).toBe(true);
    expect(verifyAcp({ ...fields, txnAmt: '1998' }, signature, publicKey)).toBe(false);
  });

  it('derives certId as the decimal form of the serial openssl prints', () => {
    const hex = openssl('x509', '-in', file('merchant.crt', keys.merchantCert), '-noout', '-serial')
      .trim()
      .replace(/^serial=/, '');
    expect(certIdOf(keys.merchantCert)).toBe(BigInt(`0x${hex}`).toString(10));
  });
});

describe("the sandbox's generated certificate chain checked with openssl verify", () => {
  it('chains the gateway and merchant certificates through the middle CA to the root', () => {
    const root = file('root.pem', keys.rootCert);
    const middle = file('middle.pem', keys.middleCert);
    const gateway = file('gateway.pem', keys.gatewayCert);
    const merchant = file('merchant-cert.pem', keys.merchantCert);
    expect(openssl('verify', '-CAfile', root, '-untrusted', middle, gateway, merchant)).toBe(
      `${gateway}: OK\n${merchant}: OK\n`,
    );
  });

  it('fails openssl verify without the middle certificate', () => {
    const root = file('root-only.pem', keys.rootCert);
    const gateway = file('gateway-alone.pem', keys.gatewayCert);
    expect(() => execFileSync('/usr/bin/openssl', ['verify', '-CAfile', root, gateway], { stdio: 'pipe' })).toThrow();
  });
});
