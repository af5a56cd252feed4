export { createWechatpayProvider, type WechatpayDeps } from './provider.ts';
