import { randomInt } from 'node:crypto';
import type { Db } from '../../src/db/client.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { loadOrCreateKeys } from '../shared/store.ts';
import { issueCertificate } from './ca.ts';

/** What the sandbox generates on first start and keeps in sandbox_keys (never in the repository). */
export interface UnionpayKeyMaterial {
  merId: string;
  rootCert: string;
  middleCert: string;
  /** The gateway's signing certificate, sent as signPubKeyCert, and its key. */
  gatewayCert: string;
  gatewayKey: string;
  /** Issued to the merchant, as UnionPay's certificate service does; its serial is the certId. */
  merchantCert: string;
  merchantKey: string;
}

const YEAR_MS = 365 * 24 * 3600_000;
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

/**
 * A root → middle → signing chain like UnionPay's, with its CN form `041@<id>@中国银联股份有限公司@<n>`
 * (docs/protocols/unionpay.md#gateway-certificate).
 */
export function generateUnionpayKeys(now: Date, merId = `777${digits(12)}`): UnionpayKeyMaterial {
  const notBefore = new Date(now.getTime() - 24 * 3600_000);
  const rootSubject: [string, string][] = [
    ['C', 'CN'],
    ['O', 'mallpay sandbox'],
    ['CN', 'SANDBOX UnionPay Root CA'],
  ];
  const root = issueCertificate({
    subject: rootSubject,
    notBefore,
    notAfter: new Date(now.getTime() + 20 * YEAR_MS),
    ca: true,
  });
  const middleSubject: [string, string][] = [
    ['C', 'CN'],
    ['O', 'mallpay sandbox'],
    ['CN', 'SANDBOX UnionPay Middle CA'],
  ];
  const middle = issueCertificate({
    subject: middleSubject,
    notBefore,
    notAfter: new Date(now.getTime() + 10 * YEAR_MS),
    ca: true,
    issuer: { subject: rootSubject, ...root },
  });
  const gateway = issueCertificate({
    subject: [
      ['C', 'CN'],
      ['O', '中国银联股份有限公司'],
      ['OU', 'SANDBOX'],
      ['CN', `041@Z${digits(14)}@中国银联股份有限公司@${digits(8)}`],
    ],
    notBefore,
    notAfter: new Date(now.getTime() + 2 * YEAR_MS),
    ca: false,
    issuer: { subject: middleSubject, ...middle },
  });
  const merchant = issueCertificate({
    subject: [
      ['C', 'CN'],
      ['O', 'mallpay sandbox merchant'],
      ['CN', `041@${merId}@SANDBOX merchant@00000001`],
    ],
    notBefore,
    notAfter: new Date(now.getTime() + 2 * YEAR_MS),
    ca: false,
    issuer: { subject: middleSubject, ...middle },
  });
  return {
    merId,
    rootCert: root.cert,
    middleCert: middle.cert,
    gatewayCert: gateway.cert,
    gatewayKey: gateway.key,
    merchantCert: merchant.cert,
    merchantKey: merchant.key,
  };
}

export function loadUnionpayKeys(db: Db, clock: Clock): Promise<UnionpayKeyMaterial> {
  return loadOrCreateKeys(db, 'unionpay', () => generateUnionpayKeys(clock.now()));
}
