import type { Config } from './config.ts';

/**
 * The one place the product reaches the built-in sandboxes (the top-level `sandbox/` folder): loaded only
 * when `MALLPAY_SANDBOX=1`, so a production process never even reads their code.
 */
export async function loadSandboxFactory(config: Config) {
  if (!config.sandbox) return undefined;
  return (await import('../sandbox/sandboxes.ts')).createSandboxes;
}
