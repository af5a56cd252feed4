import type { Sql } from '../db/client.ts';

export interface Product {
  sku: string;
  name: string;
  price: number;
  currency: string;
  stock: number;
}

export const listProducts = (sql: Sql) =>
  sql.query<Product>('SELECT sku, name, price, currency, stock FROM products ORDER BY sku');

/** Locks the rows in sku order, so two orders for the same products never deadlock. */
export const lockProducts = (sql: Sql, skus: string[]) =>
  sql.query<Product>(
    'SELECT sku, name, price, currency, stock FROM products WHERE sku = ANY($1) ORDER BY sku FOR UPDATE',
    [skus],
  );

/** Takes stock only where enough is left; answers the skus it took from. */
export const takeStock = (sql: Sql, skus: string[], quantities: number[]) =>
  sql.query<{ sku: string }>(
    `UPDATE products p SET stock = p.stock - w.qty
     FROM unnest($1::text[], $2::int[]) AS w(sku, qty)
     WHERE p.sku = w.sku AND p.stock >= w.qty RETURNING p.sku`,
    [skus, quantities],
  );

/** Gives an order's reserved stock back (its order closed unpaid). */
export const releaseOrderStock = (sql: Sql, orderId: number) =>
  sql.query(
    'UPDATE products p SET stock = p.stock + i.quantity FROM order_items i WHERE i.order_id = $1 AND p.sku = i.sku',
    [orderId],
  );

export const upsertProduct = (sql: Sql, p: Product) =>
  sql.query(
    `INSERT INTO products (sku, name, price, currency, stock) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (sku) DO NOTHING`,
    [p.sku, p.name, p.price, p.currency, p.stock],
  );
