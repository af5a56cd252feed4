/** A product as a shopper sees it: its name and description in the page's language, and its picture. */
export interface ShopProduct {
  sku: string;
  name: string;
  description: string;
  /** A file under /static/products/, or undefined (the page draws a placeholder). */
  image: string | undefined;
  price: number;
  currency: string;
  stock: number;
}

export interface ProductTranslation {
  sku: string;
  lang: string;
  name: string;
  description: string;
}

/** How a cart line is written in a form field and a cookie: `SKU:qty` pairs joined by commas. */
export function parseCart(text: unknown): Map<string, number> {
  const cart = new Map<string, number>();
  if (typeof text !== 'string') return cart;
  for (const part of text.split(',').slice(0, 50)) {
    const m = /^([A-Za-z0-9_-]{1,64}):(\d{1,3})$/.exec(part.trim());
    if (m && Number(m[2]) > 0) cart.set(m[1]!, Number(m[2]));
  }
  return cart;
}

export const cartText = (cart: Map<string, number>) =>
  [...cart]
    .filter(([, q]) => q > 0)
    .map(([sku, q]) => `${sku}:${q}`)
    .join(',');
