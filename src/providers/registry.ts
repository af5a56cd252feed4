import type { PaymentMethod } from '../config.ts';
import { AppError } from '../lib/errors.ts';
import { own } from '../lib/own.ts';
import type { PaymentProvider } from './provider.ts';

/** The enabled providers, by method. Only these are offered, paid with or notified to. */
export type Providers = Partial<Record<PaymentMethod, PaymentProvider>>;

/** The enabled provider named by an outside string (a URL, a form, a stored row), never an inherited property. */
export function enabledProvider(providers: Providers, method: string): PaymentProvider | undefined {
  return own<PaymentProvider>(providers, method);
}

export function providerFor(providers: Providers, method: string): PaymentProvider {
  const provider = enabledProvider(providers, method);
  if (!provider) throw new AppError('method_not_enabled', `payment method ${method} is not enabled`);
  return provider;
}
