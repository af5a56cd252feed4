import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/client.ts';
import { freshDb } from '../../test/support/db.ts';
import { listShopProducts, setProductImage, upsertProduct, upsertTranslation } from './catalog.repository.ts';

describe('products in the page’s language', () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshDb();
    await upsertProduct(db, { sku: 'CUP', name: 'Cup (seed name)', price: 500, currency: 'CNY', stock: 3 });
    await upsertProduct(db, { sku: 'BOWL', name: 'Bowl', price: 900, currency: 'CNY', stock: 1 });
    await upsertTranslation(db, { sku: 'CUP', lang: 'en', name: 'Tea cup', description: 'Small.' });
    await upsertTranslation(db, { sku: 'CUP', lang: 'ja', name: '湯のみ', description: '小さい。' });
    await setProductImage(db, 'CUP', 'mug.svg');
  });
  afterAll(() => db.close());

  it('reads the translation for the language, else the English one, else the name the product was made with', async () => {
    const ja = await listShopProducts(db, 'ja');
    expect(ja.map((p) => [p.sku, p.name, p.description, p.image])).toEqual([
      ['BOWL', 'Bowl', '', null],
      ['CUP', '湯のみ', '小さい。', 'mug.svg'],
    ]);
    const zh = await listShopProducts(db, 'zh-CN', ['CUP']);
    expect(zh.map((p) => p.name)).toEqual(['Tea cup']);
  });

  it('keeps a translation already there instead of overwriting it with the seed’s', async () => {
    await upsertTranslation(db, { sku: 'CUP', lang: 'ja', name: '別の名前', description: '' });
    expect((await listShopProducts(db, 'ja', ['CUP']))[0]!.name).toBe('湯のみ');
  });
});
