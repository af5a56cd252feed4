/**
 * `YYYY-MM-DD` naming a day that exists: `2026-02-30` and `2026-13-45` match the pattern, and `Date` would
 * quietly roll them over to another day (or to NaN), so the parts are checked against the day they make.
 */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = new Date(Date.UTC(y, mo - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d;
}
