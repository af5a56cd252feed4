import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

/** A self-signed certificate and its key, made by openssl: stand-ins for the files Alipay's console hands out. */
const dir = mkdtempSync(join(tmpdir(), 'alipay-cert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function certified(name: string) {
  const [key, cert] = [join(dir, `${name}.key`), join(dir, `${name}.crt`)];
  execFileSync(
    '/usr/bin/openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`].concat([
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
    ]),
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8'), certPath: cert };
}
const app = certified('app');
const other = certified('alipay');
const certMode = {
  ALIPAY_APP_ID: '2021000000000000',
  ALIPAY_PRIVATE_KEY: app.key,
  ALIPAY_APP_CERT: `@${app.certPath}`,
  ALIPAY_PUBLIC_CERT: other.cert,
  ALIPAY_ROOT_CERT: other.cert,
};

describe('Alipay settings', () => {
  it('reads certificate mode: the three certificates, inline or @file, and no public key', () => {
    expect(loadConfig(certMode).alipay).toEqual({
      appId: '2021000000000000',
      privateKey: app.key,
      certificates: { appCert: app.cert, alipayPublicCert: other.cert, alipayRootCert: other.cert },
      gateway: 'https://openapi.alipay.com/gateway.do',
      sellerId: undefined,
    });
  });

  it('stops the start naming the certificates missing from half a set', () => {
    const { ALIPAY_ROOT_CERT: _r, ALIPAY_PUBLIC_CERT: _p, ...half } = certMode;
    expect(() => loadConfig(half)).toThrow(/ALIPAY: set ALIPAY_PUBLIC_CERT, ALIPAY_ROOT_CERT too/);
  });

  it('stops the start when both modes are set, or neither', () => {
    expect(() => loadConfig({ ...certMode, ALIPAY_PUBLIC_KEY: other.cert })).toThrow(
      /either ALIPAY_PUBLIC_KEY .* not both/,
    );
    expect(() => loadConfig({ ALIPAY_APP_ID: '2021', ALIPAY_PRIVATE_KEY: app.key })).toThrow(
      /set ALIPAY_PUBLIC_KEY \(public-key mode\) or ALIPAY_APP_CERT, ALIPAY_PUBLIC_CERT, ALIPAY_ROOT_CERT/,
    );
  });

  it('stops the start when the app certificate is not that of the private key, or not a certificate', () => {
    expect(() => loadConfig({ ...certMode, ALIPAY_APP_CERT: other.cert })).toThrow(
      /ALIPAY_APP_CERT does not certify the key in ALIPAY_PRIVATE_KEY/,
    );
    expect(() => loadConfig({ ...certMode, ALIPAY_APP_CERT: app.key })).toThrow(
      /ALIPAY_APP_CERT: must be a PEM certificate/,
    );
  });
});
