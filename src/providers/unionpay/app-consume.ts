import { beijingCompact } from '../../lib/clock.ts';
import type { CreatePaymentInput, CreateResult } from '../provider.ts';
import type { AcpPost } from './acp-client.ts';

/** ACPSample's app consume address, beside frontTransReq.do and backTransReq.do (acp_sdk.properties: appTransUrl). */
export const APP_TRANS_PATH = '/gateway/api/appTransReq.do';
/** UnionPay's production gateway: the mobile control's mode is 00 there, 01 (test) anywhere else. */
const PRODUCTION_GATEWAY = 'https://gateway.95516.com';

/**
 * App consume (docs/channels/unionpay-app.md): the consume goes server to server with channelType 08 and no frontUrl;
 * UnionPay answers a `tn` that the shop's app hands to the mobile payment control (UPPayAssistEx.startPay). The
 * result reaches mallpay as for the web consume: the backUrl notification, or a query.
 */
export async function appConsume(
  post: AcpPost,
  fields: { merId: string; gateway: string; payTimeout: Date },
  input: CreatePaymentInput,
): Promise<CreateResult> {
  const answer = await post(APP_TRANS_PATH, {
    version: '5.1.0',
    encoding: 'UTF-8',
    bizType: '000201',
    accessType: '0',
    txnType: '01',
    txnSubType: '01',
    channelType: '08',
    merId: fields.merId,
    orderId: input.paymentNo,
    txnTime: beijingCompact(input.createdAt),
    txnAmt: String(input.amount),
    currencyCode: '156',
    backUrl: input.notifyUrl.split('?')[0]!,
    payTimeout: beijingCompact(fields.payTimeout),
  });
  if (!answer.ok) return { kind: 'unknown', reason: answer.reason, message: answer.message };
  const f = answer.fields;
  if (f.respCode === '00') {
    if (!f.tn || !/^\d{1,40}$/.test(f.tn))
      return { kind: 'unknown', reason: 'missing_tn', message: 'app consume answered 00 without a tn' };
    const mode = fields.gateway.startsWith(PRODUCTION_GATEWAY) ? '00' : '01';
    return { kind: 'created', action: { type: 'unionpay_app', tn: f.tn, mode } };
  }
  // 03/04/05/06: UnionPay is busy or has not decided; the same orderId and txnTime may be sent again.
  if (['03', '04', '05', '06'].includes(f.respCode ?? ''))
    return { kind: 'unknown', reason: `respCode_${f.respCode}`, message: f.respMsg ?? '' };
  return { kind: 'failed', reason: `respCode_${f.respCode}`, message: f.respMsg ?? '' };
}
