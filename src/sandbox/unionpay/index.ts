export { createUnionpaySandbox, REFUND_SETTLE_MS } from './unionpay.sandbox.ts';
