import type { ProductTranslation } from './catalog.ts';

/** The demo products' pictures (files in src/web/static/products/, drawn for this project). */
export const DEMO_IMAGES: Record<string, string> = {
  'TEA-LONGJING-250': 'tea.svg',
  'MUG-CELADON': 'mug.svg',
  'FAN-SILK': 'fan.svg',
  'INK-SET': 'ink.svg',
  'SAMPLE-1FEN': 'bookmark.svg',
};

const t = (sku: string, lang: string, name: string, description: string): ProductTranslation => ({
  sku,
  lang,
  name,
  description,
});

/** The demo products' names and descriptions in every page language. */
export const DEMO_TRANSLATIONS: ProductTranslation[] = [
  t(
    'TEA-LONGJING-250',
    'en',
    'Longjing green tea, 250 g',
    'Pan-fired spring tea from Hangzhou: flat leaves, a chestnut aroma.',
  ),
  t('TEA-LONGJING-250', 'ja', '龍井茶（緑茶）250 g', '杭州の春摘み釜炒り茶。平たい茶葉と栗のような香り。'),
  t('TEA-LONGJING-250', 'zh-CN', '西湖龙井绿茶 250 克', '杭州明前炒青绿茶，扁平挺秀，带板栗香。'),
  t('MUG-CELADON', 'en', 'Celadon mug', 'A hand-glazed stoneware mug in pale jade green, 350 ml.'),
  t('MUG-CELADON', 'ja', '青磁のマグカップ', '淡い翡翠色の釉薬を手がけした炻器のマグ、350 ml。'),
  t('MUG-CELADON', 'zh-CN', '青瓷马克杯', '手工施釉的粉青色炻器马克杯，350 毫升。'),
  t('FAN-SILK', 'en', 'Silk folding fan', 'Bamboo ribs and a painted silk leaf; folds to 21 cm.'),
  t('FAN-SILK', 'ja', '絹の扇子', '竹の骨に絵付けした絹の扇面。たたむと 21 cm。'),
  t('FAN-SILK', 'zh-CN', '真丝折扇', '竹制扇骨，手绘真丝扇面，合拢长 21 厘米。'),
  t('INK-SET', 'en', 'Calligraphy ink set', 'An ink stick, an inkstone and two brushes in a paulownia box.'),
  t('INK-SET', 'ja', '書道墨セット', '墨、硯、筆二本を桐箱に収めたセット。'),
  t('INK-SET', 'zh-CN', '书法墨锭套装', '墨锭、砚台和两支毛笔，装于桐木盒中。'),
  t('SAMPLE-1FEN', 'en', 'Paper bookmark', 'A thin rice-paper bookmark with a red tassel.'),
  t('SAMPLE-1FEN', 'ja', '紙のしおり', '赤い房のついた薄い和紙のしおり。'),
  t('SAMPLE-1FEN', 'zh-CN', '纸质书签', '系红色流苏的宣纸书签。'),
];
