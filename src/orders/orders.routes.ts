import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import { requireRole, requireUser } from '../http/auth.ts';
import { errorResponses, newRouter } from '../http/env.ts';
import type { Limits, RateLimiter } from '../lib/rate-limit.ts';
import { lineText } from '../lib/text.ts';
import { cancelOwnOrder, type OrderCloser } from './cancel-order.ts';
import { MAX_LINES, MAX_QUANTITY, ORDER_STATUSES } from './order.ts';
import { orderDetail, orderList, type OrderParts } from './order.view.ts';
import type { OrdersService } from './orders.service.ts';

const ItemSchema = z.object({
  sku: z.string(),
  name: z.string(),
  unitPrice: z.number().int(),
  quantity: z.number().int(),
});
export const OrderSchema = z
  .object({
    orderNo: z.string(),
    status: z.enum(ORDER_STATUSES),
    amount: z.number().int(),
    currency: z.string(),
    paidAmount: z.number().int(),
    refundedAmount: z.number().int(),
    items: z.array(ItemSchema),
    expiresAt: z.string(),
    createdAt: z.string(),
    paidAt: z.string().nullable(),
    closedAt: z.string().nullable(),
  })
  .openapi('Order');
const OrderDetailSchema = OrderSchema.extend({ payments: z.array(z.any()), refunds: z.array(z.any()) }).openapi(
  'OrderDetail',
);
export const OrderNoParam = z.object({
  orderNo: z
    .string()
    .regex(/^[A-Za-z0-9]{8,32}$/)
    .openapi({ param: { name: 'orderNo', in: 'path' } }),
});

const PlaceOrderSchema = z.object({
  items: z
    .array(z.object({ sku: lineText().min(1).max(64), quantity: z.number().int().min(1).max(MAX_QUANTITY) }))
    .min(1)
    .max(MAX_LINES),
});

export function ordersRoutes(deps: {
  db: Db;
  orders: OrdersService;
  payments: OrderCloser;
  parts: OrderParts;
  limiter: RateLimiter;
  limits: Limits;
}) {
  const { db, orders } = deps;
  return newRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/orders',
        tags: ['orders'],
        summary: 'Place an order: prices from the catalog, stock reserved until it is paid or closes',
        request: {
          headers: z.object({ 'idempotency-key': z.string().optional() }),
          body: { required: true, content: { 'application/json': { schema: PlaceOrderSchema } } },
        },
        responses: {
          201: { description: 'Placed', content: { 'application/json': { schema: OrderSchema } } },
          ...errorResponses,
        },
      }),
      async (c) => {
        const user = requireRole(c, 'customer');
        await deps.limiter.check(`orders:${user.id}`, deps.limits.ordersPerCustomer);
        const body = c.req.valid('json');
        const result = await orders.place(user, body.items, c.req.header('idempotency-key'));
        return c.json(result.body as z.infer<typeof OrderSchema>, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/orders',
        tags: ['orders'],
        summary: 'Your orders, newest first (staff: everyone’s)',
        responses: {
          200: { description: 'Orders', content: { 'application/json': { schema: z.array(OrderSchema) } } },
          ...errorResponses,
        },
      }),
      async (c) => c.json(await orderList(db, await orders.list(requireUser(c))), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/orders/{orderNo}',
        tags: ['orders'],
        summary: 'One order with its payments and refunds',
        request: { params: OrderNoParam },
        responses: {
          200: { description: 'Order', content: { 'application/json': { schema: OrderDetailSchema } } },
          ...errorResponses,
        },
      }),
      async (c) => {
        const order = await orders.getVisible(requireUser(c), c.req.valid('param').orderNo);
        return c.json((await orderDetail(db, order, deps.parts)) as z.infer<typeof OrderDetailSchema>, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/orders/{orderNo}/cancel',
        tags: ['orders'],
        summary: 'Close an unpaid order (also at the provider) and give its stock back',
        request: { params: OrderNoParam },
        responses: {
          200: { description: 'Closed', content: { 'application/json': { schema: OrderDetailSchema } } },
          ...errorResponses,
        },
      }),
      async (c) => {
        const closed = await cancelOwnOrder(deps, requireUser(c), c.req.valid('param').orderNo);
        return c.json((await orderDetail(db, closed, deps.parts)) as z.infer<typeof OrderDetailSchema>, 200);
      },
    );
}
