export { createAlipayProvider } from './alipay.provider.ts';
