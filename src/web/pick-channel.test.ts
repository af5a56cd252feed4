import { describe, expect, it } from 'vitest';
import { deviceOf, pageChannels, pickChannel } from './pick-channel.ts';

const WECHAT_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';
const ANDROID_CHROME =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36';
const DESKTOP = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
const WECHAT = ['qr', 'h5', 'jsapi', 'mini', 'app'];

describe('picking the channel for the device', () => {
  it('tells WeChat’s in-app browser, a phone browser and a desktop apart by the user agent', () => {
    expect(deviceOf(WECHAT_IOS)).toBe('wechat');
    expect(deviceOf(ANDROID_CHROME)).toBe('phone');
    expect(deviceOf(DESKTOP)).toBe('desktop');
    expect(deviceOf(undefined)).toBe('desktop');
  });

  it('pays WeChat Pay with JSAPI inside WeChat, H5 on a phone and a QR code on a desktop', () => {
    expect(pickChannel(WECHAT, 'wechat')).toBe('jsapi');
    expect(pickChannel(WECHAT, 'phone')).toBe('h5');
    expect(pickChannel(WECHAT, 'desktop')).toBe('qr');
  });

  it('never offers a page the mini-program or app channels, nor JSAPI outside WeChat', () => {
    expect(pageChannels(WECHAT, 'wechat')).toEqual(['qr', 'h5', 'jsapi']);
    expect(pageChannels(WECHAT, 'phone')).toEqual(['qr', 'h5']);
    expect(pageChannels(WECHAT, 'desktop')).toEqual(['qr', 'h5']);
  });

  it('keeps the other wallets as before: Alipay wap on a phone or in WeChat, its QR code on a desktop', () => {
    expect(pickChannel(['qr', 'page', 'wap'], 'wechat')).toBe('wap');
    expect(pickChannel(['qr', 'page', 'wap'], 'desktop')).toBe('qr');
    expect(pickChannel(['page'], 'phone')).toBe('page');
  });
});
