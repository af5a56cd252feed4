import { describe, expect, it } from 'vitest';
import { readGatewayAnswer } from './gateway-answer.ts';

const verifies = { verify: () => true };
const neverVerifies = { verify: () => false };
const node = (fields: Record<string, string | undefined>) => JSON.stringify(fields);

describe('reading an Alipay gateway answer', () => {
  it('takes an unsigned 40001/40002/40006 as a refusal with its code, under error_response or the method key', () => {
    const refusal = node({
      code: '40002',
      msg: 'Invalid Arguments',
      sub_code: 'isv.invalid-app-id',
      sub_msg: '无效的AppID参数',
    });
    for (const key of ['error_response', 'alipay_trade_query_response'])
      expect(readGatewayAnswer(`{"${key}":${refusal}}`, 'alipay.trade.query', neverVerifies)).toEqual({
        kind: 'refused',
        code: '40002',
        subCode: 'isv.invalid-app-id',
        message: 'Invalid Arguments: 无效的AppID参数',
        signed: false,
      });
  });

  it('trusts nothing else that comes unsigned: a success, a business failure or a system error is unknown', () => {
    for (const fields of <Record<string, string>[]>[
      { code: '10000', msg: 'Success', trade_status: 'TRADE_SUCCESS' },
      { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.TRADE_NOT_EXIST' },
      { code: '20000', msg: 'Service Currently Unavailable', sub_code: 'isp.unknow-error' },
    ])
      expect(
        readGatewayAnswer(`{"alipay_trade_query_response":${node(fields)}}`, 'alipay.trade.query', verifies),
      ).toMatchObject({ kind: 'unknown', reason: 'unsigned_response' });
  });

  it('refuses to believe a signed answer whose signature fails, whatever its code says', () => {
    const raw = `{"alipay_trade_query_response":${node({ code: '40002', sub_code: 'isv.invalid-signature' })},"sign":"AAAA"}`;
    expect(readGatewayAnswer(raw, 'alipay.trade.query', neverVerifies)).toMatchObject({
      kind: 'unknown',
      reason: 'bad_response_signature',
    });
  });

  it('verifies a signed error_response over its own node and reads its code', () => {
    const seen: string[] = [];
    const raw = `{"error_response":${node({ code: '40002', sub_code: 'isv.invalid-timestamp' })},"sign":"AAAA"}`;
    const answer = readGatewayAnswer(raw, 'alipay.trade.query', {
      verify: (_raw, key) => (seen.push(key), true),
    });
    expect(seen).toEqual(['error_response']);
    expect(answer).toMatchObject({ kind: 'refused', subCode: 'isv.invalid-timestamp', signed: true });
  });

  it('in certificate mode, names an answer signed with another Alipay certificate before trying to verify it', () => {
    const raw = `{"alipay_trade_query_response":${node({ code: '10000' })},"alipay_cert_sn":"bbbb","sign":"AAAA"}`;
    expect(readGatewayAnswer(raw, 'alipay.trade.query', { ...verifies, alipayCertSn: 'aaaa' })).toMatchObject({
      kind: 'unknown',
      reason: 'alipay_cert_sn_mismatch',
    });
    expect(readGatewayAnswer(raw, 'alipay.trade.query', { ...verifies, alipayCertSn: 'bbbb' })).toMatchObject({
      kind: 'ok',
    });
  });

  it('answers unknown for a body that is not a gateway answer', () => {
    for (const raw of ['<html>502</html>', '[]', '{"other_response":{}}', '{"error_response":"x"}'])
      expect(readGatewayAnswer(raw, 'alipay.trade.query', verifies)).toMatchObject({
        kind: 'unknown',
        reason: 'malformed_response',
      });
  });
});
