import type { PaymentMethod } from '../config.ts';
import { AppError } from '../lib/errors.ts';
import type { PaymentProvider } from './provider.ts';

/** The enabled providers, by method. Only these are offered, paid with or notified to. */
export type Providers = Partial<Record<PaymentMethod, PaymentProvider>>;

export function providerFor(providers: Providers, method: string): PaymentProvider {
  const provider = providers[method as PaymentMethod];
  if (!provider) throw new AppError('method_not_enabled', `payment method ${method} is not enabled`);
  return provider;
}
