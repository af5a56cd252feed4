import { createHash, X509Certificate } from 'node:crypto';

/**
 * Alipay's certificate serial number ("SN", opendocs common/057k53): MD5 hex of the issuer's distinguished name
 * as Java prints it (RFC 2253: last RDN first, `,` between) followed by the certificate's serial number in
 * decimal. Worked out here from node:crypto's X509Certificate, independently of alipay-sdk's @fidm/x509 code
 * that mallpay's adapter uses, so that a shared misunderstanding cannot pass unseen.
 */
export function certSn(pem: string): string {
  const cert = new X509Certificate(pem);
  const issuer = cert.issuer.split('\n').reverse().join(',');
  const serial = BigInt(`0x${cert.serialNumber}`).toString(10);
  return createHash('md5').update(`${issuer}${serial}`, 'utf8').digest('hex');
}

/**
 * The root "SN" of a root file holding several certificates: the SN of each RSA one (signature algorithm
 * sha*WithRSAEncryption), joined by `_` in file order; the file's SM2 root (as in Alipay's real
 * alipayRootCert.crt) is skipped (AntCertificationUtil.getRootCertSN in alipay-sdk-java).
 */
export function rootCertSn(pemChain: string): string {
  const pems = pemChain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return pems
    .filter((p) => isRsaSigned(new X509Certificate(p)))
    .map(certSn)
    .join('_');
}

function isRsaSigned(cert: X509Certificate): boolean {
  // X509Certificate does not expose the signature algorithm; an RSA key in a self-signed root implies it.
  return cert.publicKey.asymmetricKeyType === 'rsa';
}
