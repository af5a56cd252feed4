import { describe, expect, it } from 'vitest';
import { formatMoney, fromYuanString, toYuanString } from './money.ts';

describe('money', () => {
  it('converts minor units to a yuan string without floats', () => {
    expect(toYuanString(1999)).toBe('19.99');
    expect(toYuanString(1)).toBe('0.01');
    expect(toYuanString(100)).toBe('1.00');
    expect(toYuanString(10000000000)).toBe('100000000.00');
  });
  it('parses yuan strings back and refuses anything else', () => {
    expect(fromYuanString('19.99')).toBe(1999);
    expect(fromYuanString('0.1')).toBe(10);
    expect(fromYuanString('5')).toBe(500);
    expect(fromYuanString('1.999')).toBeNull();
    expect(fromYuanString('-1.00')).toBeNull();
    expect(fromYuanString('1e3')).toBeNull();
  });
  it('refuses amounts that are not whole minor units', () => {
    expect(() => toYuanString(1.5)).toThrow();
    expect(() => toYuanString(-1)).toThrow();
  });
  it('formats money for people', () => {
    expect(formatMoney(123456, 'CNY')).toBe('¥1,234.56');
  });
});
