import { mulberry32 } from '../../sandbox/shared/chaos.ts';
import { openCashier } from './browser-actions.ts';
import { randomUUID } from 'node:crypto';

type Method = 'alipay' | 'wechatpay' | 'unionpay';
const CHANNELS: Record<Method, string[]> = {
  alipay: ['qr', 'page', 'wap', 'app'],
  wechatpay: ['qr', 'h5', 'jsapi', 'mini', 'app'],
  unionpay: ['page', 'app'],
};
const SKUS = ['TEA-LONGJING-250', 'MUG-CELADON', 'FAN-SILK', 'INK-SET', 'SAMPLE-1FEN'];

/**
 * What one customer does. `late`: pays at a UnionPay cashier still open after cancelling (UnionPay has no
 * close), so the money must come back by itself. `double`: starts with one method, switches to another,
 * and pays at both cashiers. `abandon`: opens the cashier and walks away. `cancel`: cancels, then tries to
 * pay at the cashier anyway (the provider refuses: mallpay closed the trade).
 */
export type Scenario = 'pay' | 'late' | 'double' | 'abandon' | 'cancel';
export interface Plan {
  n: number;
  scenario: Scenario;
  method: Method;
  channel: string;
  other: Method;
  items: { sku: string; quantity: number }[];
  refund?: { part: 'full' | 'half' | 'half_then_rest'; approve: boolean };
}

/** The same storm for the same seed: every customer's choices drawn up front. */
export function plans(orders: number, seed: number): Plan[] {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: orders }, (_, n) => {
    const x = r();
    const scenario: Scenario =
      x < 0.01 ? 'late' : x < 0.03 ? 'double' : x < 0.15 ? 'abandon' : x < 0.18 ? 'cancel' : 'pay';
    const method: Method = scenario === 'late' ? 'unionpay' : pick(['alipay', 'wechatpay', 'unionpay'] as const);
    const y = r();
    const refund =
      scenario === 'pay' && y < 0.3
        ? { part: pick(['full', 'full', 'half', 'half_then_rest'] as const), approve: r() < 0.85 }
        : undefined;
    return {
      n,
      scenario,
      method,
      channel: pick(CHANNELS[method]),
      other: pick((['alipay', 'wechatpay', 'unionpay'] as const).filter((m) => m !== method)),
      items: [{ sku: pick(SKUS), quantity: 1 + Math.floor(r() * 3) }],
      ...(refund ? { refund } : {}),
    };
  });
}

export interface CustomerOutcome {
  orderNo?: string;
  latePaid: boolean;
  refundsApplied: number;
  /** What went wrong that is not mallpay's to answer for (none expected); reported, not asserted. */
  notes: string[];
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Tokens {
  customer: string;
  support: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the storm reads response fields freely
type Answer = { status: number; body: any };
/** One JSON call; a dropped connection reads as a 599, which the caller treats like any 5xx. */
export async function api(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  key?: string,
): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (key) headers['idempotency-key'] = key;
  try {
    const res = await fetch(url + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  } catch (err) {
    return { status: 599, body: { error: { code: 'network', message: String(err) } } };
  }
}

export async function login(url: string, who: keyof Tokens): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${who}@demo.test`, password: `demo-${who}` }),
  });
  return ((await res.json()) as { token: string }).token;
}

/**
 * A customer with a browser against one process: a 5xx (the provider failed under the chaos) is met by
 * trying again, as a person clicks again. Writes carry an Idempotency-Key, so a repeat is the same request.
 */
export async function customer(url: string, tokens: Tokens, plan: Plan): Promise<CustomerOutcome> {
  const out: CustomerOutcome = { latePaid: false, refundsApplied: 0, notes: [] };
  const call = (method: string, path: string, who: keyof Tokens, body?: unknown, key?: string) =>
    api(url, tokens[who], method, path, body, key);
  const again = async (
    method: string,
    path: string,
    who: keyof Tokens,
    body?: unknown,
    ok = (s: number) => s < 500,
  ) => {
    const key = method === 'POST' ? randomUUID() : undefined;
    let res = await call(method, path, who, body, key);
    for (let i = 0; i < 10 && !ok(res.status); i++)
      res = (await pause(100 * (i + 1)), await call(method, path, who, body, key));
    return res;
  };
  const order = await again('POST', '/api/orders', 'customer', { items: plan.items });
  if (order.status !== 201) return (out.notes.push(`order ${order.status}`), out);
  const orderNo = (out.orderNo = order.body.orderNo as string);

  /**
   * WeChat's in-app clients bring a one-time code (OAuth, wx.login): a retry after a 5xx comes with a new one, as a
   * real client gets a new code (a code exchanged before the provider failed is spent).
   */
  const codeControl: Record<string, string> = { jsapi: 'oauth-code', mini: 'mini-login' };
  async function startInApp(method: Method, channel: string): Promise<Answer> {
    let res: Answer = { status: 599, body: undefined };
    for (let i = 0; i < 10 && res.status >= 500; i++) {
      if (i > 0) await pause(100 * i);
      const control = codeControl[channel];
      const code = control
        ? (
            (await (
              await fetch(`${url}/sandbox/wechatpay/_control/${control}`, { method: 'POST', body: '{}' })
            ).json()) as {
              code: string;
            }
          ).code
        : undefined;
      res = await call('POST', `/api/orders/${orderNo}/payments`, 'customer', { method, channel, code }, randomUUID());
    }
    return res;
  }
  const inApp = (channel: string) => ['jsapi', 'mini', 'app'].includes(channel);
  /** What a native app hands its wallet's SDK: Alipay's order string, UnionPay's tn (their simulated clients pay it). */
  const appPayload = (action: { orderString?: string; tn?: string }) =>
    action.orderString !== undefined ? { orderString: action.orderString } : { tn: action.tn };

  async function startPaying(method: Method, channel: string) {
    const p =
      method === 'wechatpay' && inApp(channel)
        ? await startInApp(method, channel)
        : await again('POST', `/api/orders/${orderNo}/payments`, 'customer', { method, channel });
    if (p.status !== 201) return (out.notes.push(`payment ${method} ${p.status} ${p.body?.error?.code}`), undefined);
    // An in-app client has no cashier to open: it pays with the parameters (below).
    if (method === 'wechatpay' && inApp(channel))
      return { method, paymentNo: p.body.paymentNo as string, channel, params: p.body.action.params as unknown };
    if (channel === 'app') return { method, paymentNo: p.body.paymentNo as string, app: appPayload(p.body.action) };
    // The browser opens the cashier; a gateway error page is met by opening it again.
    // (UnionPay's gateway answers a busy error as a 200 page, which a person reads and submits again.)
    const opened = (html: string) => !/Transaction refused/.test(html);
    for (let i = 0; i < 6; i++) if (await openCashier(p.body.action).then(opened, () => false)) break;
    return { method, paymentNo: p.body.paymentNo as string };
  }
  const pay = async (
    p: { method: Method; paymentNo: string; channel?: string; params?: unknown; app?: unknown },
    expectRefusal = false,
  ) => {
    // The in-app channels pay through the sandbox's simulated clients, which check what the app was handed.
    const res = p.app
      ? await fetch(`${url}/sandbox/${p.method}/_control/app-pay`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(p.app),
        })
      : p.params
        ? await fetch(`${url}/sandbox/wechatpay/client/${p.channel}/pay`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ params: p.params }),
          })
        : await fetch(`${url}/sandbox/${p.method}/_control/pay/${p.paymentNo}`, { method: 'POST', body: '{}' });
    const body = (await res.json().catch(() => ({}))) as { ok?: boolean; error?: unknown; message?: unknown };
    const paid = res.ok && body.ok !== false && !body.error;
    if (!paid && !expectRefusal)
      out.notes.push(
        `${plan.scenario}: ${p.method} refused the payment: ${JSON.stringify(body.error)} ${String(body.message ?? '')}`,
      );
    return paid;
  };
  const cancel = () => again('POST', `/api/orders/${orderNo}/cancel`, 'customer', undefined, (s) => s < 500);

  const first = await startPaying(plan.method, plan.channel);
  if (!first || plan.scenario === 'abandon') return out;
  if (plan.scenario === 'late' || plan.scenario === 'cancel') {
    const c = await cancel();
    if (c.status !== 200) out.notes.push(`cancel ${c.status} ${c.body?.error?.code}`);
    // Alipay and WeChat Pay trades were closed by the cancel: their refusal is the expected outcome.
    out.latePaid = await pay(first, plan.scenario === 'cancel');
    return out;
  }
  if (plan.scenario === 'double') {
    const second = await startPaying(plan.other, CHANNELS[plan.other][0]!);
    await Promise.all([pay(first, true), second && pay(second)]);
    return out;
  }
  if (!(await pay(first)) || !plan.refund) return out;

  // A refund needs the order paid: the customer waits for the result page to say so.
  let status = '';
  for (let i = 0; i < 150 && status !== 'paid'; i++) {
    status = (await call('GET', `/api/orders/${orderNo}`, 'customer')).body?.status;
    if (status !== 'paid') await pause(200);
  }
  if (status !== 'paid') return (out.notes.push(`order never paid: ${status}`), out);
  const amount = order.body.amount as number;
  const half = Math.ceil(amount / 2);
  // Half of ¥0.01 is all of it: nothing would be left for a second application.
  const parts =
    plan.refund.part === 'full' || half === amount
      ? [undefined]
      : plan.refund.part === 'half'
        ? [half]
        : [half, undefined];
  for (const part of parts) {
    const r = await again('POST', `/api/orders/${orderNo}/refunds`, 'customer', {
      reason: 'storm',
      ...(part ? { amount: part } : {}),
    });
    if (r.status !== 201) return (out.notes.push(`refund ${r.status} ${r.body?.error?.code}`), out);
    out.refundsApplied++;
    const decision = plan.refund.approve ? 'approve' : 'reject';
    await again('POST', `/api/admin/refunds/${r.body.refundNo}/${decision}`, 'support', { note: 'storm' });
    if (!plan.refund.approve) return out;
    // The second part can be applied for only once the first has left review.
  }
  return out;
}
