import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readZip, ZipError } from './zip.ts';

const LIMITS = { maxEntries: 4, maxTotalBytes: 1 << 20 };
const text = 'line of a bill\r\n'.repeat(200);
const reason = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof ZipError) return err.reason;
    throw err;
  }
  return 'read';
};
/** Offset of the first central directory header. */
const central = (zip: Uint8Array) => Buffer.from(zip).indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));

describe('readZip', () => {
  it('reads deflated and stored entries back byte for byte, with their names as stored', () => {
    const zip = zipSync({ 'a.csv': Buffer.from(text), 'b.txt': [Buffer.from('short'), { level: 0 }] });
    const entries = readZip(zip, LIMITS);
    expect(entries.map((e) => [e.name, e.size, e.read().toString()])).toEqual([
      ['a.csv', text.length, text],
      ['b.txt', 5, 'short'],
    ]);
  });

  it('refuses an entry whose bytes were altered (CRC), and one that inflates past its declared size', () => {
    const zip = zipSync({ 'a.csv': [Buffer.from(text), { level: 0 }] });
    const altered = Buffer.from(zip);
    altered[altered.indexOf('line of a bill') + 2] = 0x4e; // 'n' → 'N'
    expect(reason(() => readZip(altered, LIMITS)[0]!.read())).toBe('corrupt');

    // A directory that claims fewer bytes than the entry holds: fflate would cut it short without a word.
    const lying = Buffer.from(zipSync({ 'a.csv': Buffer.from(text) }));
    lying.writeUInt32LE(100, central(lying) + 24);
    expect(reason(() => readZip(lying, LIMITS)[0]!.read())).toBe('corrupt');
  });

  it('refuses too many entries or too many declared bytes before inflating anything, and what is no zip', () => {
    const five = zipSync(Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`${n}.csv`, Buffer.from('x')])));
    expect(reason(() => readZip(five, LIMITS))).toBe('too_large');
    const big = Buffer.from(zipSync({ 'a.csv': Buffer.from(text) }));
    big.writeUInt32LE(2 << 20, central(big) + 24);
    expect(reason(() => readZip(big, LIMITS))).toBe('too_large');
    expect(reason(() => readZip(Buffer.from('<html>not a zip</html>'), LIMITS))).toBe('not_zip');
    expect(reason(() => readZip(Buffer.from(zipSync({ 'a.csv': Buffer.from(text) })).subarray(0, 40), LIMITS))).toBe(
      'not_zip',
    );
  });
});
