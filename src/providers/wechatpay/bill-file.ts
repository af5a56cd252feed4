import { createHash } from 'node:crypto';
import { parseBeijingDateTime } from '../../lib/clock.ts';
import type { ApiClient } from './client.ts';

export type BillFile =
  | { kind: 'file'; text: string }
  /** WeChat makes no file for a day without a line (docs/operations.md, uncertainty W-bill-1). */
  | { kind: 'none' }
  | { kind: 'not_ready' }
  | { kind: 'unknown'; reason: string };

/**
 * The two-step download both bills share: the signed apply call answers a SHA1 hash and a download_url; the
 * signed GET of that URL answers the file. The file is unsigned, so its hash, which came in a signed
 * answer, is what vouches for it.
 */
export async function downloadBillFile(api: ApiClient, applyPath: string): Promise<BillFile> {
  const r = await api.call('GET', applyPath);
  if (r.kind === 'unknown') return { kind: 'unknown', reason: r.reason };
  if (r.kind === 'error') {
    if (r.code === 'STATEMENT_CREATING') return { kind: 'not_ready' };
    if (r.code === 'NO_STATEMENT_EXIST') return { kind: 'none' };
    return { kind: 'unknown', reason: r.code };
  }
  const { download_url: url, hash_type: hashType, hash_value: hash } = r.body ?? {};
  if (typeof url !== 'string' || hashType !== 'SHA1' || typeof hash !== 'string')
    return { kind: 'unknown', reason: 'malformed_bill_answer' };
  const file = await api.download(url);
  if (!file.ok) return { kind: 'unknown', reason: `bill_download_${file.reason}` };
  // The hash covers the bytes as sent; only then are they read as UTF-8 (strictly: a bad byte is no bill).
  if (createHash('sha1').update(file.bytes).digest('hex') !== hash.toLowerCase())
    return { kind: 'unknown', reason: 'bill_hash_mismatch' };
  try {
    return { kind: 'file', text: new TextDecoder('utf-8', { fatal: true }).decode(file.bytes) };
  } catch {
    return { kind: 'unknown', reason: 'bill_not_utf8' };
  }
}

/**
 * The detail rows of a WeChat bill file as maps from column name to value: the header row names the columns
 * (WeChat says to read them by name, their order may change), every value loses its leading backtick, and
 * the rows end at the summary header. Null when the file lacks a required column.
 */
export function billRows(
  text: string,
  required: readonly string[],
  summaryFirstColumn: string,
): Record<string, string>[] | null {
  // WeChat's files begin with a UTF-8 byte order mark; a decoder may or may not have dropped it.
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  // Half-width or full-width brackets in 收支金额（元）: read either.
  const header = lines
    .shift()
    ?.split(',')
    .map((h) => h.trim().replace('(', '（').replace(')', '）'));
  if (!header || required.some((c) => !header.includes(c))) return null;
  const rows: Record<string, string>[] = [];
  for (const line of lines) {
    if (line.startsWith(summaryFirstColumn)) break;
    const values = line.split(',').map((v) => v.replace(/^`/, '').trim());
    rows.push(Object.fromEntries(header.map((h, i) => [h, values[i] ?? ''])));
  }
  return rows;
}

/** `2026-11-25 20:00:00` in Beijing → the instant; null when it is not exactly that shape or no such time (02-30). */
export const beijingBillTime = (s: string | undefined): Date | null =>
  s?.length === 19 ? parseBeijingDateTime(s) : null;
