export { createUnionpayProvider, type UnionpayDeps } from './unionpay.provider.ts';
