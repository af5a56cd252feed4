import { randomInt } from 'node:crypto';
import { beijingCompact } from './clock.ts';

/**
 * Merchant numbers: a letter, the Beijing time to the second and 10 random digits, 25 characters.
 * Letters and digits only, which all three providers accept (UnionPay forbids `-` and `_`, WeChat Pay
 * wants at most 32, Alipay at most 64); the time prefix keeps them sortable and readable for support.
 */
export function merchantNo(prefix: 'M' | 'P' | 'R', at: Date): string {
  let digits = '';
  for (let i = 0; i < 10; i++) digits += randomInt(10);
  return `${prefix}${beijingCompact(at)}${digits}`;
}
