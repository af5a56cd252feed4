import { describe, expect, it } from 'vitest';
import { gatewayVerdict, mapTradeStatus } from './status.ts';
import { parseBeijingDateTime } from '../../lib/clock.ts';
import { cleanSubject, timeoutExpress } from './wire.ts';

describe('Alipay status mapping (docs/protocols/alipay.md#status-mapping)', () => {
  it.each([
    ['WAIT_BUYER_PAY', false, 'pending'],
    ['TRADE_SUCCESS', true, 'succeeded'],
    ['TRADE_FINISHED', true, 'succeeded'],
    ['TRADE_CLOSED', false, 'closed'],
    ['TRADE_CLOSED', true, 'succeeded'],
  ] as const)('maps %s (paid before: %s) to %s', (status, paid, expected) => {
    expect(mapTradeStatus(status, paid)).toBe(expected);
  });

  it.each([
    ['10000', undefined, 'ok'],
    ['10003', undefined, 'ok'],
    ['20000', 'isp.unknow-error', 'unknown'],
    ['40004', 'ACQ.SYSTEM_ERROR', 'unknown'],
    ['40004', 'ACQ.TRADE_NOT_EXIST', 'refused'],
    ['40002', 'isv.invalid-signature', 'refused'],
    ['40001', 'isv.missing-app-id', 'refused'],
    [undefined, undefined, 'unknown'],
    ['99999', undefined, 'unknown'],
  ] as const)('reads gateway code %s / %s as %s', (code, sub, expected) => {
    expect(gatewayVerdict(code, sub)).toBe(expected);
  });
});

describe('Alipay wire values', () => {
  it('reads Beijing date-times as instants and refuses impossible ones', () => {
    expect(parseBeijingDateTime('2026-11-25 20:00:00')?.toISOString()).toBe('2026-11-25T12:00:00.000Z');
    expect(parseBeijingDateTime('2026-02-30 20:00:00')).toBeNull();
    expect(parseBeijingDateTime(undefined)).toBeNull();
  });

  it('rounds timeout_express up to whole minutes within 1m–15d', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    expect(timeoutExpress(new Date(now.getTime() + 90_000), now)).toBe('2m');
    expect(timeoutExpress(new Date(now.getTime() + 1000), now)).toBe('1m');
    expect(timeoutExpress(new Date(now.getTime() + 40 * 86_400_000), now)).toBe('21600m');
  });

  it('keeps subjects within 256 characters and free of / = &', () => {
    expect(cleanSubject('a/b=c&d')).toBe('a b c d');
    expect([...cleanSubject('茶'.repeat(300))]).toHaveLength(256);
    expect(cleanSubject('///')).toBe('order');
  });
});
