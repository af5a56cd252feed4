import { describe, expect, it } from 'vitest';
import { parseFormFields, parseRawFields, signingString } from './acp-fields.ts';

const pem = '-----BEGIN CERTIFICATE-----\r\nMIIB+a/b==\r\n-----END CERTIFICATE-----\r\n';

describe('ACP field parsing', () => {
  it('keeps + and CRLF of a raw sync response intact, where URLSearchParams would corrupt them', () => {
    const raw = `respCode=00&signPubKeyCert=${pem}&signature=ab+cd/ef==`;
    const parsed = parseRawFields(raw);
    expect(parsed.signPubKeyCert).toBe(pem);
    expect(parsed.signature).toBe('ab+cd/ef==');
    expect(new URLSearchParams(raw).get('signature')).toBe('ab cd/ef==');
  });

  it('does not split on & or = inside braces or brackets', () => {
    expect(parseRawFields('a=1&reserved={x=1&y=[2&3]}&b=c=d')).toEqual({ a: '1', reserved: '{x=1&y=[2&3]}', b: 'c=d' });
  });

  it('decodes a notification form exactly once', () => {
    expect(parseFormFields('a=%2B1+2&b=%252B').a).toBe('+1 2');
    expect(parseFormFields('a=%2B1+2&b=%252B').b).toBe('%2B');
  });

  it('signs fields in ordinal key order with empty values and the signature left out', () => {
    expect(signingString({ b: '2', signature: 'x', a: '1', C: '3', e: '' })).toBe('C=3&a=1&b=2');
  });
});
