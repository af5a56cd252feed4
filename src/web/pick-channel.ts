/**
 * Which channel a wallet's button uses on the device the page is shown on (issue 15), in one place so that
 * other in-app browsers (Alipay's) can join: inside WeChat a WeChat Pay page pays with JSAPI; a phone browser
 * opens the wallet's mobile page (Alipay wap, WeChat Pay H5); a desktop shows a QR code to scan with the phone.
 * A mini-program and a native app pay from their own code, never from a web page, so a page never offers them;
 * JSAPI works only inside WeChat, so a page elsewhere never offers it.
 */
export type Device = 'wechat' | 'phone' | 'desktop';

export function deviceOf(userAgent: string | undefined): Device {
  const ua = userAgent ?? '';
  // WeChat's built-in browser on every platform (also its desktop client) names itself MicroMessenger.
  if (/MicroMessenger/i.test(ua)) return 'wechat';
  return /Mobi|Android|iPhone|iPod/i.test(ua) ? 'phone' : 'desktop';
}

const NEVER_ON_A_PAGE = ['mini', 'app'];
const ONLY_IN: Record<string, Device> = { jsapi: 'wechat' };

/** The channels a page on this device can use, in the order the provider offers them. */
export function pageChannels(channels: readonly string[], device: Device): string[] {
  return channels.filter((c) => !NEVER_ON_A_PAGE.includes(c) && (ONLY_IN[c] ?? device) === device);
}

const PREFERENCE: Record<Device, string[]> = {
  wechat: ['jsapi', 'wap', 'h5', 'page', 'qr'],
  phone: ['wap', 'h5', 'page', 'qr'],
  desktop: ['qr', 'page', 'wap', 'h5'],
};

/** The channel of the wallet's one button; undefined when no channel of it works on this device. */
export function pickChannel(channels: readonly string[], device: Device): string | undefined {
  const usable = pageChannels(channels, device);
  return PREFERENCE[device].find((c) => usable.includes(c)) ?? usable[0];
}
