export { createUnionpaySandbox, REFUND_SETTLE_MS } from './sandbox.ts';
