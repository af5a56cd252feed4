import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

/**
 * A self-signed RSA-2048 / SHA256withRSA X.509 v3 certificate, the shape of a WeChat Pay platform certificate
 * (apiclient-style: 40-hex serial, CN "Tenpay.com sign"). Hand-written DER (ITU-T X.690) because
 * @peculiar/x509 needs a reflect-metadata polyfill that is not installed; the real ones are issued by
 * "Tenpay.com Root CA", which mallpay, like wechatpay-go, does not check (it trusts what the APIv3 key opened).
 */
const tlv = (tag: number, content: Buffer): Buffer => {
  const n = content.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
};
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const int = (b: Buffer) => tlv(0x02, b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
/** id-at-commonName, id-at-organizationName, id-at-countryName. */
const CN = Buffer.from('0603550403', 'hex');
const O = Buffer.from('060355040a', 'hex');
const C = Buffer.from('0603550406', 'hex');
/** sha256WithRSAEncryption with NULL parameters. */
const SHA256_RSA = seq(Buffer.from('06092a864886f70d01010b', 'hex'), Buffer.from([0x05, 0x00]));

/** UTCTime (before 2050, RFC 5280 §4.1.2.5). */
const utcTime = (d: Date) => {
  const iso = d.toISOString();
  return tlv(
    0x17,
    Buffer.from(
      `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`,
    ),
  );
};

export interface PlatformCertificate {
  /** Upper-case hex, 40 digits: what `serial_no` and `Wechatpay-Serial` carry. */
  serial: string;
  cert: string;
  privateKey: string;
  /** When WeChat starts/stops using it (`effective_time`/`expire_time` of GET /v3/certificates). */
  effectiveAt: string;
  expireAt: string;
}

export function issuePlatformCertificate(mchId: string, notBefore: Date, notAfter: Date): PlatformCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // 20 bytes, first byte 0x10–0x7f: positive and exactly 40 hex digits.
  const serialBytes = randomBytes(20);
  serialBytes[0] = 0x10 + (serialBytes[0]! % 0x70);
  const name = seq(
    set(seq(C, tlv(0x13, Buffer.from('CN')))),
    set(seq(O, utf8('财付通支付科技有限公司'))),
    set(seq(CN, utf8(`Tenpay.com sign ${mchId}`))),
  );
  const tbs = seq(
    tlv(0xa0, int(Buffer.from([2]))),
    int(serialBytes),
    SHA256_RSA,
    name,
    seq(utcTime(notBefore), utcTime(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const der = seq(tbs, SHA256_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), sign('sha256', tbs, privateKey)])));
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return {
    serial: serialBytes.toString('hex').toUpperCase(),
    cert: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    effectiveAt: notBefore.toISOString(),
    expireAt: notAfter.toISOString(),
  };
}
