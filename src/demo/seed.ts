import type { AccountsService } from '../accounts/accounts.service.ts';
import type { Role } from '../accounts/accounts.ts';
import { setProductImage, upsertProduct, upsertTranslation, type Product } from '../catalog/catalog.repository.ts';
import { DEMO_IMAGES, DEMO_TRANSLATIONS } from '../catalog/demo-catalog.ts';
import type { Db } from '../db/client.ts';

/** The demo accounts of docs/api.md#demo-accounts. Seeded only in demo mode, never with MALLPAY_DEMO=0. */
export const DEMO_ACCOUNTS: { email: string; password: string; role: Role }[] = [
  { email: 'customer@demo.test', password: 'demo-customer', role: 'customer' },
  { email: 'support@demo.test', password: 'demo-support', role: 'support' },
  { email: 'admin@demo.test', password: 'demo-admin', role: 'admin' },
];

export const DEMO_PRODUCTS: Product[] = [
  { sku: 'TEA-LONGJING-250', name: 'Longjing green tea, 250 g', price: 12800, currency: 'CNY', stock: 100 },
  { sku: 'MUG-CELADON', name: 'Celadon mug', price: 4500, currency: 'CNY', stock: 50 },
  { sku: 'FAN-SILK', name: 'Silk folding fan', price: 1999, currency: 'CNY', stock: 200 },
  { sku: 'INK-SET', name: 'Calligraphy ink set', price: 8800, currency: 'CNY', stock: 10 },
  { sku: 'SAMPLE-1FEN', name: 'Paper bookmark', price: 1, currency: 'CNY', stock: 1000 },
];

/** Idempotent: existing accounts and products are left as they are (stock is not refilled). */
export async function seedDemo(db: Db, accounts: AccountsService): Promise<void> {
  for (const a of DEMO_ACCOUNTS) await accounts.register(a.email, a.password, a.role);
  for (const p of DEMO_PRODUCTS) await upsertProduct(db, p);
  for (const [sku, image] of Object.entries(DEMO_IMAGES)) await setProductImage(db, sku, image);
  for (const t of DEMO_TRANSLATIONS) await upsertTranslation(db, t);
}
