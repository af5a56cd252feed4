export { createAlipayProvider } from './provider.ts';
