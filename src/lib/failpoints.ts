/**
 * Crash points for the crash tests: `MALLPAY_FAILPOINTS=refund.after_provider_call` makes the process
 * kill itself (SIGKILL, as `kill -9` would) the moment it passes that point, so a test can prove that a
 * restart converges from exactly there. Unset in production: a lookup in an empty set.
 */
const armed = new Set((process.env.MALLPAY_FAILPOINTS ?? '').split(',').filter(Boolean));

export function failpoint(name: string): void {
  if (armed.has(name)) process.kill(process.pid, 'SIGKILL');
}
