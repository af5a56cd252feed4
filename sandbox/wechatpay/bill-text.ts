import { toYuanString } from '../../src/lib/money.ts';

/** What WeChat's two bill files share: comma-separated, every value prefixed with a backtick, amounts in yuan. */
export const yuan = (fen: number) => (fen < 0 ? `-${toYuanString(-fen)}` : toYuanString(fen));

/** `2026-11-25T20:00:00+08:00` → `2026-11-25 20:00:00` (the bills' Beijing time). */
export const billTime = (rfc3339: string) => rfc3339.slice(0, 19).replace('T', ' ');

/** The backtick keeps Excel from turning long numbers into scientific notation (WeChat's own reason). */
export const tickRow = (values: string[]) => values.map((v) => `\`${v}`).join(',');

/**
 * Header, rows, summary header, summary row; CRLF like WeChat's files, which begin with a UTF-8 byte order
 * mark (so Excel reads them as UTF-8; the task's account of real files, not checked against a captured one).
 */
export const billFile = (
  columns: readonly string[],
  rows: string[][],
  summaryColumns: readonly string[],
  summary: string[],
) => `\uFEFF${[columns.join(','), ...rows.map(tickRow), summaryColumns.join(','), tickRow(summary), ''].join('\r\n')}`;

/** Values may not carry the separators. */
export const plain = (s: string) => s.replace(/[,`\r\n]/g, ' ');
