/**
 * The common response fields of an error (docs/protocols/alipay.md#responses), and the codes this sandbox answers with.
 */
export interface AlipayError {
  code: string;
  msg: string;
  sub_code: string;
  sub_msg: string;
}

export type ApiResult = { ok: Record<string, unknown> } | { error: AlipayError };

export const success = (fields: Record<string, unknown>): ApiResult => ({
  ok: { code: '10000', msg: 'Success', ...fields },
});

/** 20000: the gateway could not tell; the merchant must query (docs/protocols/alipay.md#response-codes). */
export const systemError = (): AlipayError => ({
  code: '20000',
  msg: 'Service Currently Unavailable',
  sub_code: 'isp.unknow-error',
  sub_msg: '系统繁忙',
});

export const missing = (subCode: string, subMsg: string): AlipayError => ({
  code: '40001',
  msg: 'Missing Required Arguments',
  sub_code: subCode,
  sub_msg: subMsg,
});

export const invalid = (subCode: string, subMsg: string): AlipayError => ({
  code: '40002',
  msg: 'Invalid Arguments',
  sub_code: subCode,
  sub_msg: subMsg,
});

/** 40004 with the ACQ.* sub_codes of docs/protocols/alipay.md#business-apis. */
export const business = (subCode: string, subMsg: string): ApiResult => ({
  error: { code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: subMsg },
});

export const tradeNotExist = () => business('ACQ.TRADE_NOT_EXIST', '交易不存在');
export const invalidParameter = (field: string) => business('ACQ.INVALID_PARAMETER', `参数无效: ${field}`);
