import { describe, expect, it } from 'vitest';
import { time } from './format.ts';

describe('times on the pages', () => {
  const at = new Date('2026-12-04T08:44:00Z');

  it('writes a Chinese time as date then time, with Beijing time named after it, not inside the date', () => {
    expect(time(at, 'zh-CN')).toBe('2026年12月4日 16:44（北京时间）');
  });

  it('writes Japanese and English times in Beijing time on a 24-hour clock, the zone named at the end', () => {
    expect(time(at, 'ja')).toBe('2026年12月4日 16:44（北京時間）');
    expect(time(at, 'en')).toBe('Dec 4, 2026, 16:44 (Beijing time)');
  });
});
