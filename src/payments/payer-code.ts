import { AppError } from '../lib/errors.ts';
import type { PaymentProvider } from '../providers/provider.ts';

/**
 * The payer of an in-app channel (WeChat JSAPI, mini-program), from the one-time code the client brought:
 * exchanged with the provider before the attempt is saved, so a code that is used, expired or another app's is
 * refused with nothing changed. A code sent to a channel that takes none is refused too, so a client's mistake
 * shows at once.
 */
export async function identifyPayer(
  provider: PaymentProvider,
  channel: string,
  code: string | undefined,
): Promise<{ openid: string } | undefined> {
  const needs = provider.payer?.needsCode(channel) ?? false;
  if (!needs) {
    if (code !== undefined) throw new AppError('validation_failed', `channel ${channel} takes no code`);
    return undefined;
  }
  if (!code) throw new AppError('payer_code_required', `channel ${channel} needs the payer's code`);
  const r = await provider.payer!.identify(channel, code);
  if (r.kind === 'identified') return { openid: r.openid };
  if (r.kind === 'refused')
    throw new AppError('payer_code_invalid', `the code was refused: ${r.message}; get a new one`, { reason: r.reason });
  throw new AppError('provider_unavailable', `${provider.method} did not say who pays; try again with a new code`, {
    reason: r.reason,
  });
}
