export { createWechatpaySandbox, type WechatpaySandboxOptions } from './sandbox.ts';
