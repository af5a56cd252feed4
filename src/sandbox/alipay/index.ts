export { createAlipaySandbox } from './alipay.sandbox.ts';
