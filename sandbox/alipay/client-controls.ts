import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppPayResult } from './app-pay.ts';
import type { InAppApis } from './in-app.ts';
import { TEST_BUYERS } from './payment-codes.ts';

const appPaySchema = z.object({ orderString: z.string().min(1).max(8192), cancel: z.boolean().optional() }).strict();
const tradePaySchema = z
  .object({
    tradeNO: z.string().regex(/^\d{16,64}$/),
    buyerId: z.string().max(32).optional(),
    cancel: z.boolean().optional(),
  })
  .strict();

async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return undefined;
  }
}

const invalidBody = (issues: z.ZodIssue[]) =>
  Response.json(
    { error: 'invalid_body', detail: issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
    { status: 400 },
  );

/**
 * The simulated clients of Alipay's in-app channels (docs/sandbox/alipay.md): the Alipay app paying an app order
 * string, `my.tradePay` inside Alipay, and the list of test buyers' payment codes. A client that refuses (a bad
 * signature, another buyer) answers like the real SDK — resultStatus/resultCode 4000 — with HTTP 400, and pays nothing.
 */
export function mountAlipayClientControls(
  app: Hono,
  deps: { payOrderString: (orderString: string, cancel: boolean) => Promise<AppPayResult>; inApp: InAppApis },
): void {
  app.post('/_control/app-pay', async (c) => {
    const body = appPaySchema.safeParse(await jsonBody(c));
    if (!body.success) return invalidBody(body.error.issues);
    const result = await deps.payOrderString(body.data.orderString, body.data.cancel ?? false);
    return Response.json(result, { status: result.resultStatus === '4000' ? 400 : 200 });
  });
  app.post('/_control/trade-pay', async (c) => {
    const body = tradePaySchema.safeParse(await jsonBody(c));
    if (!body.success) return invalidBody(body.error.issues);
    const result = await deps.inApp.tradePay(body.data.tradeNO, body.data.buyerId, body.data.cancel ?? false);
    return Response.json(result, { status: result.resultCode === '4000' ? 400 : 200 });
  });
  app.get('/_control/payment-codes', () => Response.json(TEST_BUYERS));
}
