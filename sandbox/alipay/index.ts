export { createAlipaySandbox } from './sandbox.ts';
