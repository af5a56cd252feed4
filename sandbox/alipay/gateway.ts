import type { Context, Hono } from 'hono';
import type { Clock } from '../../src/lib/clock.ts';
import type { Faults } from '../shared/faults.ts';
import type { AlipayApis } from './api.ts';
import { invalid, missing, systemError, type AlipayError, type ApiResult } from './errors.ts';
import type { AlipaySandboxKeys } from './keys.ts';
import type { AlipayModes } from './modes.ts';
import {
  REQUEST_UNSIGNED,
  responseKeyOf,
  rsa2Verify,
  signContent,
  signedResponse,
  unsignedResponse,
} from './signing.ts';
import { parseBeijing } from './trades.ts';
import type { FaceToFaceApis } from './face-to-face.ts';
import type { InAppApis } from './in-app.ts';

/**
 * The server APIs of docs/protocols/alipay.md#business-apis; page.pay and wap.pay are browser flows, answered with the
 * cashier instead.
 */
const SERVER_APIS = [
  'alipay.trade.precreate',
  'alipay.trade.query',
  'alipay.trade.close',
  'alipay.trade.refund',
  'alipay.trade.fastpay.refund.query',
  'alipay.data.dataservice.bill.downloadurl.query',
  'alipay.trade.pay',
  'alipay.trade.cancel',
  'alipay.trade.create',
];
/**
 * Signed like a gateway call, but sent by the buyer's Alipay app, never to gateway.do: the simulated app checks it
 * (app-pay.ts).
 */
const CLIENT_APIS = ['alipay.trade.app.pay'];
const PAGE_APIS: Record<string, 'page' | 'wap'> = { 'alipay.trade.page.pay': 'page', 'alipay.trade.wap.pay': 'wap' };
/** docs/protocols/alipay.md#u7: the accepted clock skew is not published; the sandbox allows 15 minutes either way. */
const MAX_SKEW_MS = 15 * 60_000;

const REQUIRED: [string, string][] = [
  ['app_id', 'isv.missing-app-id'],
  ['method', 'isv.missing-method'],
  ['sign', 'isv.missing-signature'],
  ['sign_type', 'isv.missing-signature-type'],
  ['timestamp', 'isv.missing-timestamp'],
  ['version', 'isv.missing-version'],
];

export interface GatewayDeps {
  apis: AlipayApis;
  faults: Faults;
  clock: Clock;
  keys: AlipaySandboxKeys;
  modes: AlipayModes;
  base: string;
  bill: { downloadUrlQuery(biz: Record<string, unknown>): ApiResult };
  faceToFace: FaceToFaceApis;
  inApp: InAppApis;
}

/**
 * Checks shared by server and browser calls (docs/protocols/alipay.md#request-signature); answers the error or the
 * parsed biz_content.
 */
type Checked = { error: AlipayError } | { biz: Record<string, unknown> };
/** A refusal before the app is known leaves the gateway no key of the merchant's to answer for. */
const APP_UNKNOWN = ['isv.missing-app-id', 'isv.invalid-app-id'];

export function checkCommon(p: Record<string, string>, keys: AlipaySandboxKeys, now: Date): Checked {
  const e = checkSignedCommon(p, keys, now);
  if (e) return { error: e };
  try {
    const biz: unknown = JSON.parse(p.biz_content ?? '');
    if (biz && typeof biz === 'object' && !Array.isArray(biz)) return { biz: biz as Record<string, unknown> };
  } catch {
    // answered below
  }
  return { error: invalid('isv.invalid-parameter', 'biz_content无效') };
}

function checkSignedCommon(p: Record<string, string>, keys: AlipaySandboxKeys, now: Date): AlipayError | null {
  for (const [name, subCode] of REQUIRED) if (!p[name]) return missing(subCode, `缺少${name}参数`);
  if (p.app_id !== keys.appId) return invalid('isv.invalid-app-id', '无效的AppID参数');
  const certError = checkCertSerials(p, keys);
  if (certError) return certError;
  if (!SERVER_APIS.includes(p.method!) && !PAGE_APIS[p.method!] && !CLIENT_APIS.includes(p.method!))
    return invalid('isv.invalid-method', '不存在的方法名');
  if (p.sign_type !== 'RSA2') return invalid('isv.invalid-signature-type', '无效的签名类型');
  const content = signContent(p, REQUEST_UNSIGNED);
  if (!rsa2Verify(content, p.sign!, keys.appPublicKey)) {
    // Like the real gateway, say which string was verified: the quickest way to find a signing bug.
    return invalid(
      'isv.invalid-signature',
      `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${content}`,
    );
  }
  const at = parseBeijing(p.timestamp!);
  if (!at || Math.abs(at.getTime() - now.getTime()) > MAX_SKEW_MS)
    return invalid('isv.invalid-timestamp', '非法的时间戳参数');
  if (p.charset && p.charset.toLowerCase() !== 'utf-8') return invalid('isv.invalid-charset', '字符集错误');
  if (p.version !== '1.0') return invalid('isv.invalid-parameter', '版本号错误');
  return null;
}

/**
 * Certificate mode (公钥证书): both serial numbers are signed parameters and must name the app's certificate
 * and Alipay's root file. Codes from Alipay's public error list (opendocs common/02kdnf, 公共错误码): a wrong
 * app SN is `isv.app-cert-not-exist` (40002, seen in alipay-sdk-nodejs-all #56), a wrong root SN
 * `isv.invalid-alipay-root-cert-sn` (yansongda/pay #491); missing ones `isv.missing-app-cert-sn` /
 * `isv.missing-alipay-root-cert-sn` (40001 assumed from "缺少"). An app in public-key mode sent an app SN has
 * no certificate: `isv.app-cert-not-exist` too.
 */
function checkCertSerials(p: Record<string, string>, keys: AlipaySandboxKeys): AlipayError | null {
  const cert = keys.certMode;
  if (!cert) return p.app_cert_sn ? invalid('isv.app-cert-not-exist', '应用公钥证书不存在') : null;
  if (!p.app_cert_sn) return missing('isv.missing-app-cert-sn', '缺少应用公钥证书序列号');
  if (!p.alipay_root_cert_sn) return missing('isv.missing-alipay-root-cert-sn', '缺少支付宝根证书序列号');
  if (p.app_cert_sn !== cert.appCertSn) return invalid('isv.app-cert-not-exist', '应用公钥证书不存在');
  if (p.alipay_root_cert_sn !== cert.rootCertSn)
    return invalid('isv.invalid-alipay-root-cert-sn', '无效支付宝根证书序列号');
  return null;
}

/**
 * Decodes each part once: common parameters arrive in the URL query, biz_content in the body
 * (docs/protocols/alipay.md#transport).
 */
async function params(c: Context): Promise<Record<string, string>> {
  const merged: Record<string, string> = {};
  for (const [k, v] of new URL(c.req.url).searchParams) merged[k] = v;
  if (c.req.method === 'POST') for (const [k, v] of new URLSearchParams(await c.req.text())) merged[k] = v;
  return merged;
}

export function mountGateway(app: Hono, deps: GatewayDeps): void {
  const { apis, faults, keys } = deps;
  const known = (method: string | undefined) => !!method && (SERVER_APIS.includes(method) || !!PAGE_APIS[method]);
  const html = (text: string) => new Response(text, { headers: { 'content-type': 'text/html;charset=utf-8' } });
  const sign = (key: string, body: Record<string, unknown>) =>
    html(signedResponse(key, body, keys.alipayPrivateKey, keys.certMode?.alipayCertSn));
  /** An answer of the API itself (success, business failure, system error): always signed. */
  const respond = (method: string | undefined, result: ApiResult) =>
    sign(known(method) ? responseKeyOf(method!) : 'error_response', 'ok' in result ? result.ok : { ...result.error });
  /** The gateway's own refusal of a request it did not process, shaped by the gatewayErrors mode. */
  const refuse = (method: string | undefined, e: AlipayError) => {
    const body = { ...e };
    const methodKey = known(method) ? responseKeyOf(method!) : 'error_response';
    switch (deps.modes.gatewayErrors) {
      case 'unsigned_error_response':
        return html(unsignedResponse('error_response', body));
      case 'unsigned_method_response':
        return html(unsignedResponse(methodKey, body));
      case 'signed_when_app_known':
        return APP_UNKNOWN.includes(e.sub_code) ? html(unsignedResponse(methodKey, body)) : sign(methodKey, body);
    }
  };
  const errorPage = (e: AlipayError) =>
    new Response(
      `<!doctype html><html lang="en"><meta charset="utf-8"><title>Alipay SANDBOX error</title><h1>SANDBOX: request refused</h1><p>${e.code} ${e.sub_code}</p><pre>${e.sub_msg.replace(/[&<>]/g, '')}</pre></html>`,
      {
        status: 400,
        headers: { 'content-type': 'text/html; charset=utf-8' },
      },
    );

  async function handle(c: Context): Promise<Response> {
    const p = await params(c);
    const checked = checkCommon(p, keys, deps.clock.now());
    const pageKind = PAGE_APIS[p.method ?? ''];
    if (pageKind) {
      if ('error' in checked) return errorPage(checked.error);
      const created = await apis.createTrade(pageKind, checked.biz, p);
      if ('error' in created) return errorPage(created.error);
      return c.redirect(`${deps.base}/cashier?out_trade_no=${encodeURIComponent(created.trade!.outTradeNo)}`, 302);
    }
    if (CLIENT_APIS.includes(p.method ?? '')) return refuse(undefined, invalid('isv.invalid-method', '不存在的方法名'));
    if (c.req.method !== 'POST') return refuse(p.method, invalid('isv.invalid-parameter', '请使用POST'));
    if ('error' in checked) return refuse(p.method, checked.error);
    const method = p.method!;
    const fault = faults.takeCallFault(method);
    if (fault === 'error') return respond(method, { error: systemError() });
    const result = await run(method, checked.biz, p);
    if (fault === 'timeout')
      return new Response('<html><body>504 Gateway Time-out</body></html>', {
        status: 504,
        headers: { 'content-type': 'text/html' },
      });
    return respond(method, result);
  }

  function run(method: string, biz: Record<string, unknown>, p: Record<string, string>): Promise<ApiResult> {
    switch (method) {
      case 'alipay.trade.precreate':
        return apis.createTrade('precreate', biz, p).then(({ trade: _t, ...r }) => r as ApiResult);
      case 'alipay.trade.query':
        return apis.query(biz);
      case 'alipay.trade.close':
        return apis.close(biz);
      case 'alipay.trade.refund':
        return apis.refund(biz);
      case 'alipay.data.dataservice.bill.downloadurl.query':
        return Promise.resolve(deps.bill.downloadUrlQuery(biz));
      case 'alipay.trade.pay':
        return deps.faceToFace.tradePay(biz, p);
      case 'alipay.trade.cancel':
        return deps.faceToFace.cancel(biz);
      case 'alipay.trade.create':
        return deps.inApp.tradeCreate(biz, p);
      default:
        return apis.refundQuery(biz);
    }
  }

  app.post('/gateway.do', handle);
  app.get('/gateway.do', handle);
}
