/**
 * Response codes the sandbox answers with (docs/protocols/unionpay.md#response-codes). The bracketed internal codes of
 * 00 and 34 are UnionPay's; the others, and the choice of 11/12/33/35 for their cases, are the sandbox's
 * (docs/protocols/unionpay.md#u20).
 */
export const RESP = {
  ok: { respCode: '00', respMsg: '成功[0000000]' },
  accepted: { respCode: '05', respMsg: '交易已受理，请稍后查询交易结果[6154037]' },
  failed: { respCode: '01', respMsg: '交易失败[1000001]' },
  busy: { respCode: '06', respMsg: '系统繁忙，请稍后再试[0600000]' },
  format: (detail: string) => ({ respCode: '10', respMsg: `报文格式错误：${detail}[1000010]` }),
  badSignature: { respCode: '11', respMsg: '验证签名失败[1100000]' },
  duplicate: { respCode: '12', respMsg: '重复交易[1200000]' },
  missing: (field: string) => ({ respCode: '13', respMsg: `报文交易要素缺失：${field}[1300000]` }),
  noMerchant: { respCode: '31', respMsg: '商户状态不正确[3100000]' },
  overLimit: { respCode: '33', respMsg: '交易金额超限：退货金额超过原交易可退金额[3300000]' },
  notFound: { respCode: '34', respMsg: '查无此交易[2600000]' },
  badOriginal: (detail: string) => ({ respCode: '35', respMsg: `原交易不存在或状态不正确：${detail}[3500000]` }),
  expired: { respCode: '42', respMsg: '订单已超过支付时间[4200000]' },
} as const;

export type Resp = { respCode: string; respMsg: string };
