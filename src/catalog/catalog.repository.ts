import type { Sql } from '../db/client.ts';
import type { ProductTranslation, ShopProduct } from './catalog.ts';

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

/**
 * Products in one language: the translation when there is one, else the English one, else the name the
 * product was created with.
 */
export const listShopProducts = (sql: Sql, lang: string, skus?: string[]) =>
  sql.query<ShopProduct>(
    `SELECT p.sku, COALESCE(t.name, e.name, p.name) AS name, COALESCE(t.description, e.description, '') AS description,
            p.image, p.price, p.currency, p.stock
     FROM products p
     LEFT JOIN product_translations t ON t.sku = p.sku AND t.lang = $1
     LEFT JOIN product_translations e ON e.sku = p.sku AND e.lang = 'en'
     WHERE $2::text[] IS NULL OR p.sku = ANY($2)
     ORDER BY p.price DESC, p.sku`,
    [lang, skus ?? null],
  );

export const setProductImage = (sql: Sql, sku: string, image: string) =>
  sql.query('UPDATE products SET image = $2 WHERE sku = $1 AND image IS NULL', [sku, image]);

/** Adds a translation that is missing; one already there (perhaps edited by staff) is kept. */
export const upsertTranslation = (sql: Sql, t: ProductTranslation) =>
  sql.query(
    `INSERT INTO product_translations (sku, lang, name, description) VALUES ($1, $2, $3, $4)
     ON CONFLICT (sku, lang) DO NOTHING`,
    [t.sku, t.lang, t.name, t.description],
  );
