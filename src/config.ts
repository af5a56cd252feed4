import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { wechatAppsFromEnv, type WechatApps } from './config.wechat-apps.ts';

export const PAYMENT_METHODS = ['alipay', 'wechatpay', 'unionpay'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** A PEM given inline, or as `@/path/to/file.pem`. */
const pem = z
  .string()
  .transform((v, ctx) => {
    if (!v.startsWith('@')) return v.replace(/\\n/g, '\n');
    try {
      return readFileSync(v.slice(1), 'utf8');
    } catch {
      ctx.addIssue({ code: 'custom', message: `cannot read ${v.slice(1)}` });
      return z.NEVER;
    }
  })
  .refine((v) => v.includes('-----BEGIN '), 'must be a PEM');
const certificatePem = pem.refine((v) => v.includes('-----BEGIN CERTIFICATE-----'), 'must be a PEM certificate');
const gatewayUrl = z.url().refine((v) => !v.endsWith('/'), 'must not end with a slash');
const optional = <T extends z.ZodTypeAny>(t: T) => z.preprocess((v) => (v === '' ? undefined : v), t.optional());

/** Probabilistic faults in the sandboxes (docs/sandbox.md, Chaos); unset: none. */
export interface SandboxChaos {
  /** Probability that a provider API call fails (system error or timeout). */
  calls: number;
  /** Probability that one delivery attempt of a notification is lost (retried on the provider's schedule). */
  deliveries: number;
  /** How many copies of each notification are sent, uniform in [min, max]. */
  copies: readonly [number, number];
  /** Each copy's first send is this many real milliseconds late, uniform in [min, max]. */
  delayMs: readonly [number, number];
  seed: number;
}
const probability = z.coerce.number().min(0).max(1);
/** `3` or `1-5`: an inclusive range of whole numbers. */
const range = (min: number) =>
  z
    .string()
    .regex(/^\d+(-\d+)?$/, 'must be N or MIN-MAX')
    .transform((v) => v.split('-').map(Number))
    .transform(([lo, hi]) => [lo!, hi ?? lo!] as const)
    .refine(([lo, hi]) => lo >= min && hi >= lo, `must be whole numbers from ${min}, MIN <= MAX`);
const chaosSchema = z.preprocess(
  (v, ctx) => {
    if (typeof v !== 'string') return v;
    const pairs = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => s.split('='));
    if (pairs.some((p) => p.length !== 2))
      ctx.addIssue({ code: 'custom', message: 'must be key=value pairs separated by commas' });
    return Object.fromEntries(pairs.map(([k, val]) => [k?.trim(), val?.trim()]));
  },
  z
    .object({
      calls: probability.default(0),
      deliveries: probability.default(0),
      copies: range(1).default([1, 1]),
      delayMs: range(0).default([0, 0]),
      seed: z.coerce.number().int().min(0).default(0),
    })
    .strict(),
);

const envSchema = z.object({
  // 0 picks a free port (tests); PUBLIC_URL then follows the port actually taken.
  PORT: optional(z.coerce.number().int().min(0).max(65535)),
  HOST: optional(z.string()),
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')),
  DATA_DIR: optional(z.string()),
  /** Connections each instance keeps to PostgreSQL. */
  DATABASE_POOL_SIZE: optional(z.coerce.number().int().min(1).max(200)),
  PUBLIC_URL: optional(gatewayUrl),
  PAYMENT_METHODS: optional(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.enum(PAYMENT_METHODS)).min(1)),
  ),
  MALLPAY_DEMO: optional(z.enum(['0', '1'])),
  /** Processes serving one instance (node:cluster); PGlite is embedded in one process, so 1 there. */
  MALLPAY_WORKERS: optional(z.coerce.number().int().min(1).max(64)),
  /** `1`: a method without credentials is served by its built-in sandbox; `0`: no sandbox exists at all. */
  MALLPAY_SANDBOX: optional(z.enum(['0', '1'])),
  ORDER_TTL_SECONDS: optional(
    z.coerce
      .number()
      .int()
      .min(10)
      .max(7 * 24 * 3600),
  ),
  /** Issue 21.4: units of one product one order may reserve, and units one customer may hold unpaid in all. */
  ORDER_MAX_UNITS_PER_PRODUCT: optional(z.coerce.number().int().min(1).max(999)),
  CUSTOMER_MAX_HELD_UNITS: optional(z.coerce.number().int().min(1)),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  REFUND_DUAL_APPROVAL_ABOVE: optional(z.coerce.number().int().min(1)),
  SMTP_URL: optional(z.url()),
  SMTP_FROM: optional(z.string()),
  /** Divides the sandboxes' notification retry schedules (60 makes Alipay's 4 min into 4 s). */
  SANDBOX_TIME_SCALE: optional(z.coerce.number().positive()),
  /** `calls=0.05,deliveries=0.05,copies=1-5,delayMs=0-20000,seed=42`: random faults in every sandbox. */
  SANDBOX_CHAOS: optional(chaosSchema),
  /** The Alipay sandbox's merchant app: public-key mode (default) or certificate mode (公钥证书). Sandbox only. */
  ALIPAY_SANDBOX_KEY_MODE: optional(z.enum(['public_key', 'certificate'])),
  /** How long a claimed job is held before another process may take it over (a crashed holder). */
  RATE_LIMIT_LOGINS_PER_MINUTE: optional(z.coerce.number().int().min(1)),
  RATE_LIMIT_ORDERS_PER_MINUTE: optional(z.coerce.number().int().min(1)),
  /** Notifications that fail verification one address may send per minute before the rest are refused unread. */
  RATE_LIMIT_UNVERIFIED_NOTIFICATIONS_PER_MINUTE: optional(z.coerce.number().int().min(1)),
  JOB_LEASE_SECONDS: optional(z.coerce.number().int().min(1).max(3600)),

  ALIPAY_APP_ID: optional(z.string()),
  ALIPAY_PRIVATE_KEY: optional(pem),
  ALIPAY_PUBLIC_KEY: optional(pem),
  /** Certificate mode (公钥证书), instead of ALIPAY_PUBLIC_KEY: the app's, Alipay's and Alipay's root certificates. */
  ALIPAY_APP_CERT: optional(certificatePem),
  ALIPAY_PUBLIC_CERT: optional(certificatePem),
  ALIPAY_ROOT_CERT: optional(certificatePem),
  ALIPAY_GATEWAY: optional(gatewayUrl),
  ALIPAY_SELLER_ID: optional(z.string()),

  WECHATPAY_MCH_ID: optional(z.string()),
  WECHATPAY_APP_ID: optional(z.string()),
  WECHATPAY_API_V3_KEY: optional(z.string().length(32, 'must be 32 bytes')),
  WECHATPAY_PRIVATE_KEY: optional(pem),
  WECHATPAY_CERT_SERIAL: optional(z.string()),
  WECHATPAY_PLATFORM_PUBLIC_KEY: optional(pem),
  WECHATPAY_PLATFORM_KEY_ID: optional(z.string().regex(/^PUB_KEY_ID_\d+$/, 'must be PUB_KEY_ID_ and digits')),
  /** Platform certificate mode: PEM certificate(s), or `download` to learn them from GET /v3/certificates. */
  WECHATPAY_PLATFORM_CERTS: optional(z.literal('download').or(pem)),
  WECHATPAY_BASE_URL: optional(gatewayUrl),

  UNIONPAY_MER_ID: optional(z.string()),
  UNIONPAY_SIGN_KEY: optional(pem),
  UNIONPAY_SIGN_CERT: optional(pem),
  UNIONPAY_ROOT_CERT: optional(pem),
  UNIONPAY_MIDDLE_CERT: optional(pem),
  UNIONPAY_GATEWAY: optional(gatewayUrl),
  /** fileTransfer (txnType 76) is posted here, to a host of its own (ACPSample acpsdk.fileTransUrl). */
  UNIONPAY_FILE_URL: optional(z.url()),
});

/** Certificate mode (公钥证书): PEMs as downloaded from the Alipay console; the root file may hold several. */
export interface AlipayCertificates {
  appCert: string;
  alipayPublicCert: string;
  alipayRootCert: string;
}
/** Exactly one of `alipayPublicKey` (public-key mode) and `certificates` (certificate mode) is set. */
export interface AlipayCredentials {
  appId: string;
  privateKey: string;
  alipayPublicKey?: string | undefined;
  certificates?: AlipayCertificates | undefined;
  gateway: string;
  sellerId?: string | undefined;
}
export interface WechatpayCredentials {
  mchId: string;
  appId: string;
  apiV3Key: string;
  privateKey: string;
  certSerial: string;
  /** Public key mode (`PUB_KEY_ID_…`); with platformCerts too, the merchant is migrating between the two. */
  platformPublicKey?: string | undefined;
  platformKeyId?: string | undefined;
  /** Platform certificate mode: the PEMs configured (maybe none), always refreshed from GET /v3/certificates. */
  platformCerts?: string[] | undefined;
  baseUrl: string;
  /** The in-app channels' apps (JSAPI, mini-program, app), WECHAT_* settings (config.wechat-apps.ts). */
  apps?: WechatApps | undefined;
}
export interface UnionpayCredentials {
  merId: string;
  signKey: string;
  signCert: string;
  rootCert: string;
  middleCert: string;
  gateway: string;
  /** The exact URL fileTransfer is posted to (not under the gateway). */
  fileUrl: string;
}

/** How much stock unpaid orders may tie up (issue 21.4; docs/operations.md says what a shop should set). */
export interface StockHoldLimits {
  maxUnitsPerProduct: number;
  maxHeldUnitsPerCustomer: number;
}

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  publicUrl: string;
  paymentMethods: PaymentMethod[];
  demo: boolean;
  /** Serve the built-in sandboxes for the methods without credentials (never in production). */
  sandbox: boolean;
  /** Worker processes of this instance (node:cluster); 1 serves in the process itself. */
  workers: number;
  orderTtlSeconds: number;
  stockHolds: StockHoldLimits;
  logLevel: string;
  refundDualApprovalAbove: number | undefined;
  smtpUrl: string | undefined;
  smtpFrom: string;
  sandboxTimeScale: number;
  sandboxChaos: SandboxChaos | undefined;
  /** How the Alipay sandbox (when it serves Alipay) issues its merchant app: Alipay's public key, or certificates. */
  alipaySandboxKeyMode: 'public_key' | 'certificate';
  jobLeaseSeconds: number;
  rateLimits: { loginsPerMinute: number; ordersPerMinute: number; unverifiedNotificationsPerMinute: number };
  /** Set where the provider's credentials are complete; unset means its built-in sandbox serves it. */
  alipay: AlipayCredentials | undefined;
  wechatpay: WechatpayCredentials | undefined;
  unionpay: UnionpayCredentials | undefined;
}

export class ConfigError extends Error {}

/** The settings each provider needs, all of them or none (then only a sandbox can serve it). */
const REQUIRED: Record<PaymentMethod, (keyof Env)[]> = {
  alipay: ['ALIPAY_APP_ID', 'ALIPAY_PRIVATE_KEY', 'ALIPAY_PUBLIC_KEY'],
  wechatpay: [
    'WECHATPAY_MCH_ID',
    'WECHATPAY_APP_ID',
    'WECHATPAY_API_V3_KEY',
    'WECHATPAY_PRIVATE_KEY',
    'WECHATPAY_CERT_SERIAL',
  ],
  unionpay: [
    'UNIONPAY_MER_ID',
    'UNIONPAY_SIGN_KEY',
    'UNIONPAY_SIGN_CERT',
    'UNIONPAY_ROOT_CERT',
    'UNIONPAY_MIDDLE_CERT',
    'UNIONPAY_GATEWAY',
  ],
};

/** Where a provider accepts another set of settings in place of part of REQUIRED. */
const ALTERNATIVE: Partial<Record<PaymentMethod, string>> = {
  alipay: ' (or ALIPAY_APP_CERT, ALIPAY_PUBLIC_CERT and ALIPAY_ROOT_CERT instead of ALIPAY_PUBLIC_KEY)',
  wechatpay: ', and WECHATPAY_PLATFORM_PUBLIC_KEY with WECHATPAY_PLATFORM_KEY_ID, or WECHATPAY_PLATFORM_CERTS, or both',
};

type Env = z.infer<typeof envSchema>;

export function loadConfig(source: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const port = env.PORT ?? 3000;
  const config: Config = {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE ?? 10,
    dataDir: env.DATA_DIR ?? './data',
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${port}`,
    paymentMethods: env.PAYMENT_METHODS ?? [...PAYMENT_METHODS],
    demo: env.MALLPAY_DEMO ? env.MALLPAY_DEMO === '1' : !env.DATABASE_URL,
    sandbox: env.MALLPAY_SANDBOX ? env.MALLPAY_SANDBOX === '1' : !env.DATABASE_URL,
    workers: env.MALLPAY_WORKERS ?? (env.DATABASE_URL ? availableParallelism() : 1),
    orderTtlSeconds: env.ORDER_TTL_SECONDS ?? 1800,
    stockHolds: {
      maxUnitsPerProduct: env.ORDER_MAX_UNITS_PER_PRODUCT ?? 20,
      maxHeldUnitsPerCustomer: env.CUSTOMER_MAX_HELD_UNITS ?? 50,
    },
    logLevel: env.LOG_LEVEL ?? 'info',
    refundDualApprovalAbove: env.REFUND_DUAL_APPROVAL_ABOVE,
    smtpUrl: env.SMTP_URL,
    smtpFrom: env.SMTP_FROM ?? 'mallpay <no-reply@localhost>',
    sandboxTimeScale: env.SANDBOX_TIME_SCALE ?? 1,
    sandboxChaos: env.SANDBOX_CHAOS,
    alipaySandboxKeyMode: env.ALIPAY_SANDBOX_KEY_MODE ?? 'public_key',
    jobLeaseSeconds: env.JOB_LEASE_SECONDS ?? 60,
    rateLimits: {
      loginsPerMinute: env.RATE_LIMIT_LOGINS_PER_MINUTE ?? 30,
      ordersPerMinute: env.RATE_LIMIT_ORDERS_PER_MINUTE ?? 60,
      unverifiedNotificationsPerMinute: env.RATE_LIMIT_UNVERIFIED_NOTIFICATIONS_PER_MINUTE ?? 60,
    },
    alipay: alipayCredentials(env),
    wechatpay: credentials(env, 'WECHATPAY', REQUIRED.wechatpay, () => ({
      mchId: env.WECHATPAY_MCH_ID!,
      appId: env.WECHATPAY_APP_ID!,
      apiV3Key: env.WECHATPAY_API_V3_KEY!,
      privateKey: env.WECHATPAY_PRIVATE_KEY!,
      certSerial: env.WECHATPAY_CERT_SERIAL!,
      ...wechatpayVerifiers(env),
      baseUrl: env.WECHATPAY_BASE_URL ?? 'https://api.mch.weixin.qq.com',
      apps: wechatApps(source),
    })),
    unionpay: credentials(env, 'UNIONPAY', REQUIRED.unionpay, () => ({
      merId: env.UNIONPAY_MER_ID!,
      signKey: env.UNIONPAY_SIGN_KEY!,
      signCert: env.UNIONPAY_SIGN_CERT!,
      rootCert: env.UNIONPAY_ROOT_CERT!,
      middleCert: env.UNIONPAY_MIDDLE_CERT!,
      gateway: env.UNIONPAY_GATEWAY!,
      fileUrl: env.UNIONPAY_FILE_URL ?? 'https://filedownload.95516.com/',
    })),
  };
  if (config.workers > 1 && !config.databaseUrl) {
    throw new ConfigError(
      'invalid configuration:\n  MALLPAY_WORKERS: embedded PGlite is one process; set DATABASE_URL for more',
    );
  }
  // A sandbox setting where no sandbox may run is a mistake worth stopping for, not something to ignore.
  if (env.ALIPAY_SANDBOX_KEY_MODE && !config.sandbox) {
    throw new ConfigError(
      'invalid configuration:\n  ALIPAY_SANDBOX_KEY_MODE: only meaningful with MALLPAY_SANDBOX=1 (no sandbox runs here)',
    );
  }
  // Without sandboxes, a method that is offered must be able to reach its real provider.
  const unserved = config.sandbox ? [] : config.paymentMethods.filter((m) => !config[m]);
  if (unserved.length) {
    const lines = unserved.map(
      (m) => `  ${m}: set ${REQUIRED[m].join(', ')}${ALTERNATIVE[m] ?? ''} (MALLPAY_SANDBOX=0 serves no sandbox)`,
    );
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}

function wechatApps(source: Record<string, string | undefined>): WechatApps {
  const apps = wechatAppsFromEnv(source);
  if ('error' in apps) throw new ConfigError(`invalid configuration:\n${apps.error.map((l) => `  ${l}`).join('\n')}`);
  return apps;
}

const ALIPAY_CERTS = ['ALIPAY_APP_CERT', 'ALIPAY_PUBLIC_CERT', 'ALIPAY_ROOT_CERT'] as const;

/**
 * Alipay's two key modes (公钥 / 公钥证书): the app id and private key, then exactly one of Alipay's public key
 * or the three certificates. Half a set, or both modes at once, stops the start naming what to fix.
 */
function alipayCredentials(env: Env): AlipayCredentials | undefined {
  const certs = ALIPAY_CERTS.filter((k) => env[k] !== undefined);
  const fail = (msg: string): never => {
    throw new ConfigError(`invalid configuration:\n  ALIPAY: ${msg}`);
  };
  if (env.ALIPAY_PUBLIC_KEY !== undefined && certs.length)
    fail(`set either ALIPAY_PUBLIC_KEY (public-key mode) or ${ALIPAY_CERTS.join(', ')} (certificate mode), not both`);
  const base = (['ALIPAY_APP_ID', 'ALIPAY_PRIVATE_KEY'] as const).filter((k) => env[k] === undefined);
  if (env.ALIPAY_PUBLIC_KEY === undefined && certs.length === 0) {
    if (base.length === 2) return undefined;
    fail(
      `set ${[...base, `ALIPAY_PUBLIC_KEY (public-key mode) or ${ALIPAY_CERTS.join(', ')} (certificate mode)`].join(', ')} too, or none of the ALIPAY_* credentials`,
    );
  }
  const missing = [...base, ...(certs.length ? ALIPAY_CERTS.filter((k) => env[k] === undefined) : [])];
  if (missing.length) fail(`set ${missing.join(', ')} too, or none of the ALIPAY_* credentials`);
  if (certs.length) checkAppCertificate(env.ALIPAY_APP_CERT!, env.ALIPAY_PRIVATE_KEY!, fail);
  return {
    appId: env.ALIPAY_APP_ID!,
    privateKey: env.ALIPAY_PRIVATE_KEY!,
    ...(certs.length
      ? {
          certificates: {
            appCert: env.ALIPAY_APP_CERT!,
            alipayPublicCert: env.ALIPAY_PUBLIC_CERT!,
            alipayRootCert: env.ALIPAY_ROOT_CERT!,
          },
        }
      : { alipayPublicKey: env.ALIPAY_PUBLIC_KEY! }),
    gateway: env.ALIPAY_GATEWAY ?? 'https://openapi.alipay.com/gateway.do',
    sellerId: env.ALIPAY_SELLER_ID,
  };
}

/** The certificate downloaded from the console must certify the very key mallpay signs with. */
function checkAppCertificate(certPem: string, privateKeyPem: string, fail: (msg: string) => never): void {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return fail('ALIPAY_APP_CERT is not a readable X.509 certificate');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch {
    return fail('ALIPAY_PRIVATE_KEY is not a readable private key');
  }
  if (!cert.checkPrivateKey(key)) fail('ALIPAY_APP_CERT does not certify the key in ALIPAY_PRIVATE_KEY');
}

/** At least one way to verify WeChat Pay's answers: the public key (with its ID), platform certificates, or both. */
function wechatpayVerifiers(
  env: Env,
): Pick<WechatpayCredentials, 'platformPublicKey' | 'platformKeyId' | 'platformCerts'> {
  const key = env.WECHATPAY_PLATFORM_PUBLIC_KEY;
  const keyId = env.WECHATPAY_PLATFORM_KEY_ID;
  const certs = env.WECHATPAY_PLATFORM_CERTS;
  if (!key !== !keyId)
    throw new ConfigError(
      'invalid configuration:\n  WECHATPAY: set WECHATPAY_PLATFORM_PUBLIC_KEY and WECHATPAY_PLATFORM_KEY_ID together',
    );
  if (!key && !certs)
    throw new ConfigError(
      'invalid configuration:\n  WECHATPAY: set WECHATPAY_PLATFORM_PUBLIC_KEY + WECHATPAY_PLATFORM_KEY_ID, or WECHATPAY_PLATFORM_CERTS, or both',
    );
  return {
    platformPublicKey: key,
    platformKeyId: keyId,
    platformCerts:
      certs === undefined
        ? undefined
        : (certs.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((c) => `${c}\n`),
  };
}

/** All of a provider's required settings, or none of them (sandbox); half a set stops the start. */
function credentials<T>(env: Env, prefix: string, required: (keyof Env)[], build: () => T): T | undefined {
  const set = required.filter((k) => env[k] !== undefined);
  if (set.length === 0) return undefined;
  const missing = required.filter((k) => env[k] === undefined);
  if (missing.length)
    throw new ConfigError(
      `invalid configuration:\n  ${prefix}: set ${missing.join(', ')} too, or none of the ${prefix}_* credentials`,
    );
  return build();
}
