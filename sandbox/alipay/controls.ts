import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { RecordStore } from '../shared/store.ts';
import type { BuyerActions, BuyerOutcome } from './buyer.ts';
import { modesSchema, type AlipayModes } from './modes.ts';
import type { SandboxTrade } from './trades.ts';

/** docs/protocols/alipay.md#business-apis: what Alipay accepts as out_trade_no; anything else cannot name a trade. */
const PAYMENT_NO = /^[A-Za-z0-9_]{1,64}$/;
const notifyFaultsSchema = z.object({ badSignature: z.number().int().min(0).max(1000) }).strict();

const refuse = (status: 400 | 404, error: string, detail?: unknown) =>
  Response.json(detail === undefined ? { error } : { error, detail }, { status });

async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return undefined;
  }
}

/**
 * The Alipay sandbox's scripted controls, with their input checked: a malformed payment number or body is a
 * 400, a trade the sandbox never saw a 404, and a step the trade's state does not allow a 409 — never a 200 that
 * did nothing. Mounted before the shared controls, which they replace for pay and fail.
 */
export function mountAlipayControls(
  app: Hono,
  deps: {
    buyer: BuyerActions;
    store: RecordStore;
    modes: AlipayModes;
    notifyFaults: { badSignature: number };
  },
): void {
  const step = (act: (no: string) => Promise<BuyerOutcome>) => async (c: Context) => {
    const no = c.req.param('paymentNo') ?? '';
    if (!PAYMENT_NO.test(no)) return refuse(400, 'invalid_payment_no');
    if (!(await deps.store.get<SandboxTrade>('trade', no))) return refuse(404, 'unknown_trade');
    const r = await act(no);
    return r.ok
      ? Response.json({ ok: true, trade: r.trade })
      : Response.json({ ok: false, error: r.error }, { status: 409 });
  };
  app.post('/_control/pay/:paymentNo', step(deps.buyer.pay));
  app.post('/_control/fail/:paymentNo', step(deps.buyer.fail));
  // The refund window ends: TRADE_FINISHED, notified.
  app.post('/_control/finish/:paymentNo', step(deps.buyer.finish));

  // The next N notifications are signed over other content.
  app.post('/_control/notify-faults', async (c) => {
    const body = notifyFaultsSchema.safeParse(await jsonBody(c));
    if (!body.success)
      return refuse(
        400,
        'invalid_body',
        body.error.issues.map((i) => i.message),
      );
    deps.notifyFaults.badSignature = body.data.badSignature;
    return Response.json({ ok: true, ...deps.notifyFaults });
  });

  app.get('/_control/modes', () => Response.json(deps.modes));
  app.post('/_control/modes', async (c) => {
    const body = modesSchema.partial().safeParse(await jsonBody(c));
    if (!body.success)
      return refuse(
        400,
        'invalid_body',
        body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      );
    Object.assign(deps.modes, body.data);
    return Response.json(deps.modes);
  });
}
