/** Time is an argument, so that tests move it instead of waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class FakeClock implements Clock {
  private t: number;
  constructor(start: Date | string = '2026-11-25T12:00:00Z') {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(at: Date): void {
    this.t = at.getTime();
  }
}

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** Parts of the wall-clock time in Beijing (UTC+8, no daylight saving), whatever the machine's zone. */
export function beijingParts(at: Date) {
  const d = new Date(at.getTime() + BEIJING_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    yyyy: p(d.getUTCFullYear(), 4),
    MM: p(d.getUTCMonth() + 1),
    dd: p(d.getUTCDate()),
    HH: p(d.getUTCHours()),
    mm: p(d.getUTCMinutes()),
    ss: p(d.getUTCSeconds()),
  };
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time (Alipay's timestamp and time_expire). */
export function beijingDateTime(at: Date): string {
  const b = beijingParts(at);
  return `${b.yyyy}-${b.MM}-${b.dd} ${b.HH}:${b.mm}:${b.ss}`;
}

/** `YYYYMMDDhhmmss` in Beijing time (UnionPay's txnTime, order numbers). */
export function beijingCompact(at: Date): string {
  const b = beijingParts(at);
  return `${b.yyyy}${b.MM}${b.dd}${b.HH}${b.mm}${b.ss}`;
}

/** RFC 3339 with the +08:00 offset (WeChat Pay's time_expire). */
export function beijingRfc3339(at: Date): string {
  const b = beijingParts(at);
  return `${b.yyyy}-${b.MM}-${b.dd}T${b.HH}:${b.mm}:${b.ss}+08:00`;
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time (Alipay's gmt_payment, the providers' bill times) to an instant; null when malformed or no such time. */
export function parseBeijingDateTime(v: string | undefined): Date | null {
  const m = v ? /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(v) : null;
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const at = new Date(Date.UTC(y!, mo! - 1, d!, h! - 8, mi!, s!));
  return beijingDateTime(at) === m[0] ? at : null;
}
