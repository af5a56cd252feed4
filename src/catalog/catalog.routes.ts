import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import { newRouter } from '../http/env.ts';
import { listProducts } from './catalog.repository.ts';

export const ProductSchema = z
  .object({ sku: z.string(), name: z.string(), price: z.number().int(), currency: z.string(), stock: z.number().int() })
  .openapi('Product');

export function catalogRoutes(db: Db) {
  return newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/products',
      tags: ['catalog'],
      summary: 'Products with price in minor units and stock left',
      responses: {
        200: { description: 'Products', content: { 'application/json': { schema: z.array(ProductSchema) } } },
      },
    }),
    async (c) => c.json(await listProducts(db), 200),
  );
}
