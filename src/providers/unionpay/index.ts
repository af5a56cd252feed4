export { createUnionpayProvider, type UnionpayDeps } from './provider.ts';
