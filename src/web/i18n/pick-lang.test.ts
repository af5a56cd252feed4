import { describe, expect, it } from 'vitest';
import { pickLang } from './index.ts';

describe('choosing the page language', () => {
  it('takes ?lang= over the browser’s Accept-Language', () => {
    expect(pickLang('zh-CN', 'ja-JP,ja;q=0.9')).toBe('zh-CN');
    expect(pickLang('ja', 'en-US')).toBe('ja');
  });

  it('ignores an unknown ?lang= and falls back to Accept-Language by quality', () => {
    expect(pickLang('fr', 'fr;q=1, zh-CN;q=0.5, ja;q=0.8')).toBe('ja');
    expect(pickLang(undefined, 'zh-Hans-CN')).toBe('zh-CN');
  });

  it('serves English when nothing it knows is asked for, including traditional Chinese', () => {
    expect(pickLang(undefined, undefined)).toBe('en');
    expect(pickLang(undefined, 'zh-TW,de')).toBe('en');
    expect(pickLang(undefined, 'ja;q=0')).toBe('en');
  });
});
