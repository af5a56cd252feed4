import { listShopProducts } from '../catalog/catalog.repository.ts';
import type { ShopProduct } from '../catalog/catalog.ts';
import type { Sql } from '../db/client.ts';
import { listItems } from '../orders/orders.repository.ts';
import type { OrderRow } from '../orders/order.ts';
import type { Lang } from './i18n/index.ts';

/** One line of an order as the pages show it: the product's name in the page's language and its picture. */
export interface SummaryLine {
  sku: string;
  name: string;
  image: string | undefined;
  unitPrice: number;
  quantity: number;
}

export interface OrderSummaryData {
  orderNo: string;
  lines: SummaryLine[];
  total: number;
  currency: string;
}

/** Reads for the shopper's pages; the writes go through the feature services as the API's do. */
export async function orderSummaryOf(sql: Sql, order: OrderRow, lang: Lang): Promise<OrderSummaryData> {
  const items = await listItems(sql, [order.id]);
  const products = await productsBySku(
    sql,
    lang,
    items.map((i) => i.sku),
  );
  return {
    orderNo: order.order_no,
    currency: order.currency,
    total: order.amount,
    lines: items.map((i) => ({
      sku: i.sku,
      // The name the order was placed under is what was bought; a translation is shown when there is one.
      name: products.get(i.sku)?.name ?? i.name,
      image: products.get(i.sku)?.image,
      unitPrice: i.unit_price,
      quantity: i.quantity,
    })),
  };
}

export async function productsBySku(sql: Sql, lang: Lang, skus?: string[]): Promise<Map<string, ShopProduct>> {
  const rows = await listShopProducts(sql, lang, skus);
  return new Map(rows.map((p) => [p.sku, { ...p, price: Number(p.price), stock: Number(p.stock) }]));
}
