import { unzipSync } from 'fflate';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveOnLoopback } from '../../support/serve.ts';
import { beijingDateTime } from '../../../src/lib/clock.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { BILL_COLUMNS, SUMMARY_COLUMNS, zipWithGbkNames } from '../../../sandbox/alipay/bill.ts';
import {
  ALIPAY_BILL_LIMITS,
  downloadAlipayBill,
  parseAlipayBillCsv,
  readAlipayBillZip,
  type AlipayBillLimits,
} from '../../../src/providers/alipay/bill.ts';
import { createAlipayClient } from '../../../src/providers/alipay/client.ts';
import { startAlipayHarness, type AlipayHarness } from '../../support/providers/alipay.harness.ts';

let h: AlipayHarness;
beforeAll(async () => {
  h = await startAlipayHarness();
});
afterAll(() => h.close());

describe('Alipay daily bill through the sandbox', () => {
  it('answers not ready for a Beijing day that is not over, then lists that day’s payments and refunds', async () => {
    // The harness clock is 2026-11-25 20:00 in Beijing.
    const a = await h.paid('qr', 1000);
    const b = await h.paid('qr', 2550);
    const refund = h.refundInput(a, 300);
    expect(await h.provider.refund(refund)).toMatchObject({ kind: 'succeeded' });
    expect(await h.provider.downloadBill('2026-11-25')).toEqual({ kind: 'not_ready' });

    h.clock.advance(5 * 3600_000); // 2026-11-26 01:00 Beijing
    const late = await h.paid('qr', 777);
    const bill = await h.provider.downloadBill('2026-11-25');
    if (bill.kind !== 'bill') throw new Error(JSON.stringify(bill));
    const mine = bill.lines.filter((l) => [a.paymentNo, b.paymentNo, late.paymentNo].includes(l.paymentNo));
    expect(
      mine
        .map(({ kind, paymentNo, refundNo, amount }) => ({ kind, paymentNo, refundNo, amount }))
        .sort((x, y) => x.amount - y.amount),
    ).toEqual([
      { kind: 'refund', paymentNo: a.paymentNo, refundNo: refund.refundNo, amount: 300 },
      { kind: 'payment', paymentNo: a.paymentNo, refundNo: null, amount: 1000 },
      { kind: 'payment', paymentNo: b.paymentNo, refundNo: null, amount: 2550 },
    ]);
    expect(mine.every((l) => l.providerTradeNo && /^\d{28}$/.test(l.providerTradeNo))).toBe(true);
    expect(
      mine
        .find((l) => l.kind === 'payment')!
        .at.toISOString()
        .slice(0, 10),
    ).toBe('2026-11-25');
  });

  it('reports a bill download the gateway could not answer as unknown, not as an empty day', async () => {
    await h.control('faults', { call: { fault: 'error', api: 'alipay.data.dataservice.bill.downloadurl.query' } });
    expect(await h.provider.downloadBill('2026-11-25')).toMatchObject({ kind: 'unknown' });
  });

  it('refuses a bill download URL whose token is not the one the gateway issued', async () => {
    const res = await fetch(`${h.url}/sandbox/alipay/bill/download?bill_date=2026-11-25&token=0000`);
    expect(res.status).toBe(404);
  });
});

/** Entry names and flags as stored in a zip's central directory (fflate decodes unflagged names as latin1). */
function centralEntries(zip: Uint8Array): Array<{ name: Uint8Array; flags: number }> {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (v.getUint32(eocd, true) !== 0x06054b50) eocd--;
  const out: Array<{ name: Uint8Array; flags: number }> = [];
  let at = v.getUint32(eocd + 16, true);
  for (let i = 0; i < v.getUint16(eocd + 10, true); i++) {
    const len = v.getUint16(at + 28, true);
    out.push({ name: zip.slice(at + 46, at + 46 + len), flags: v.getUint16(at + 8, true) });
    at += 46 + len + v.getUint16(at + 30, true) + v.getUint16(at + 32, true);
  }
  return out;
}

const strictUtf8 = (b: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(b);

describe('the bill file the sandbox serves', () => {
  it('is a zip of a GBK 业务明细 and a GBK 汇总, named in GBK bytes without the UTF-8 flag, built from that day’s trades', async () => {
    h.clock.advance(2 * 86_400_000); // a Beijing day no other test paid on
    const day = beijingDateTime(h.clock.now()).slice(0, 10);
    const a = await h.paid('qr', 1000);
    const refund = h.refundInput(a, 300);
    expect(await h.provider.refund(refund)).toMatchObject({ kind: 'succeeded' });
    const { tradeNo } = (await (await fetch(`${h.url}/sandbox/alipay/_control/trades/${a.paymentNo}`)).json()) as {
      tradeNo: string;
    };
    h.clock.advance(86_400_000);

    const client = createAlipayClient(h.sandbox.credentials, { clock: h.clock, log: silentLogger });
    const answer = await client.call('alipay.data.dataservice.bill.downloadurl.query', {
      bill_type: 'trade',
      bill_date: day,
    });
    if (answer.kind !== 'ok') throw new Error(JSON.stringify(answer));
    const res = await fetch(String(answer.body.bill_download_url));
    expect(res.headers.get('content-type')).toBe('application/zip');
    const zip = new Uint8Array(await res.arrayBuffer());

    const compact = day.replaceAll('-', '');
    const names = centralEntries(zip);
    expect(names.map((e) => e.flags & 0x800)).toEqual([0, 0]);
    expect(names.map((e) => iconv.decode(Buffer.from(e.name), 'gbk'))).toEqual([
      `${h.sandbox.credentials.sellerId}0156_${compact}_业务明细.csv`,
      `${h.sandbox.credentials.sellerId}0156_${compact}_业务明细(汇总).csv`,
    ]);
    expect(() => strictUtf8(names[0]!.name)).toThrow();

    const [detailRaw, summaryRaw] = Object.values(unzipSync(zip));
    expect(() => strictUtf8(detailRaw!)).toThrow(); // really GBK, not UTF-8
    expect(() => strictUtf8(summaryRaw!)).toThrow();
    const detail = iconv.decode(detailRaw!, 'gbk').split('\r\n');
    const summary = iconv.decode(summaryRaw!, 'gbk').split('\r\n');

    const period = `#起始日期：[${day.slice(0, 4)}年${day.slice(5, 7)}月${day.slice(8)}日 00:00:00]   终止日期：[`;
    expect(detail.slice(0, 5)).toEqual([
      '#支付宝业务明细查询',
      `#账号：[${h.sandbox.credentials.sellerId}0156]`,
      expect.stringContaining(period),
      expect.stringMatching(/^#-+业务明细列表-+$/),
      BILL_COLUMNS.join(','),
    ]);
    expect(detail.filter((l) => l.startsWith(`${tradeNo}\t,${a.paymentNo}\t,`)).map((l) => l.split(','))).toEqual([
      expect.arrayContaining(['交易\t', '10.00']),
      expect.arrayContaining(['退款\t', '-3.00', `${refund.refundNo}\t`]),
    ]);
    expect(detail.slice(-5)).toEqual([
      expect.stringMatching(/^#-+业务明细列表结束-+$/),
      '#交易合计：1笔，商家实收共10.00元，商家优惠共0.00元',
      '#退款合计：1笔，商家实收退款共-3.00元，商家优惠退款共0.00元',
      expect.stringMatching(/^#导出时间：\[\d{4}年\d\d月\d\d日 \d\d:\d\d:\d\d\]$/),
      '',
    ]);
    expect(summary[0]).toBe('#支付宝业务汇总查询');
    expect(summary.slice(3, 7)).toEqual([
      expect.stringMatching(/^#-+业务汇总列表-+$/),
      SUMMARY_COLUMNS.join(','),
      '合计,,1,1,7.00,7.00,0.00,0.00,0.00,0.00,0.00,7.00',
      expect.stringMatching(/^#-+业务汇总列表结束-+$/),
    ]);
  });
});

// A bill in the live layout (published samples of the real file): tab-suffixed values, store columns filled,
// a refund with its request number, the `#` trailer, and a summary that must not be taken for the detail.
const ACCOUNT = '20880211096256330156';
const detailRow = (tradeNo: string, outTradeNo: string, type: string, done: string, amount: string, requestNo = '') =>
  `${tradeNo}\t,${outTradeNo}\t,${type}\t,下单测试,2019-09-16 10:55:16,${done},alipay_store\t,alipay_store\t,alipay\t,\t,*津水(602***@qq.com)\t,` +
  `${amount},${amount},0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00,${requestNo}\t,0.00,0.00,下单测试`;
const LIVE_DETAIL = [
  '#支付宝业务明细查询',
  `#账号：[${ACCOUNT}]`,
  '#起始日期：[2019年09月16日 00:00:00]   终止日期：[2019年09月17日 00:00:00]',
  '#-----------------------------------------业务明细列表----------------------------------------',
  BILL_COLUMNS.join(','),
  detailRow('2019091622001458860515315453', 'service_1568601259302', '交易', '2019-09-16 10:55:23', '128.50'),
  detailRow(
    '2019091622001458860515315453',
    'service_1568601259302',
    '退款',
    '2019-09-16 10:56:48',
    '-20.05',
    're_test_1568602607356',
  ),
  detailRow('2019091622001465870515233238', '20190916165659224L3VUQRL9', '交易', '2019-09-16 16:58:58', '0.01'),
  '#-----------------------------------------业务明细列表结束------------------------------------',
  '#交易合计：2笔，商家实收共128.51元，商家优惠共0.00元',
  '#退款合计：1笔，商家实收退款共-20.05元，商家优惠退款共0.00元',
  '#导出时间：[2019年09月17日 05:46:49]',
  '',
].join('\r\n');
const LIVE_SUMMARY = [
  '#支付宝业务汇总查询',
  `#账号：[${ACCOUNT}]`,
  '#起始日期：[2019年09月16日 00:00:00]   终止日期：[2019年09月17日 00:00:00]',
  '#-----------------------------------------业务汇总列表----------------------------------------',
  SUMMARY_COLUMNS.join(','),
  '合计,,2,1,108.46,108.46,0.00,0.00,0.00,0.00,0.00,108.46',
  '#----------------------------------------业务汇总列表结束-------------------------------------',
  '#导出时间：[2019年09月17日 05:46:49]',
  '',
].join('\r\n');
const gbk = (s: string) => new Uint8Array(iconv.encode(s, 'gbk'));
/** Summary first: the adapter must find the detail by its content, not by order or name. */
const liveZip = (detail = LIVE_DETAIL) =>
  zipWithGbkNames(
    [
      [`${ACCOUNT}_20190916_业务明细(汇总).csv`, gbk(LIVE_SUMMARY)],
      [`${ACCOUNT}_20190916_业务明细.csv`, gbk(detail)],
    ],
    new Date('2019-09-16T21:46:49Z'),
  );

/** The adapter against a bill server that answers `body`, behind a gateway that hands out its URL. */
async function downloadFrom(
  body: Uint8Array<ArrayBuffer> | string | ReadableStream<Uint8Array>,
  limits?: AlipayBillLimits,
) {
  const server = await serveOnLoopback({
    fetch: () => new Response(body, { headers: { 'content-type': 'application/oct-stream' } }),
  });
  const client = {
    call: async () => ({
      kind: 'ok' as const,
      body: { bill_download_url: `${server.url}/downloadBillFile.resource?fileType=csv.zip` },
    }),
  };
  try {
    return await downloadAlipayBill(client, '2019-09-16', 5000, limits);
  } finally {
    await server.close();
  }
}

describe('reading a bill file in the live layout', () => {
  it('unzips, decodes GBK, picks the detail by its header, trims the tabs and reads amounts in fen', async () => {
    expect(await downloadFrom(liveZip())).toEqual({
      kind: 'bill',
      lines: [
        {
          kind: 'payment',
          paymentNo: 'service_1568601259302',
          refundNo: null,
          providerTradeNo: '2019091622001458860515315453',
          amount: 12850,
          at: new Date('2019-09-16T02:55:23Z'),
        },
        {
          kind: 'refund',
          paymentNo: 'service_1568601259302',
          refundNo: 're_test_1568602607356',
          providerTradeNo: '2019091622001458860515315453',
          amount: 2005,
          at: new Date('2019-09-16T02:56:48Z'),
        },
        {
          kind: 'payment',
          paymentNo: '20190916165659224L3VUQRL9',
          refundNo: null,
          providerTradeNo: '2019091622001465870515233238',
          amount: 1,
          at: new Date('2019-09-16T08:58:58Z'),
        },
      ],
    });
  });

  it('reads a day without trades as an empty bill', () => {
    const empty = LIVE_DETAIL.split('\r\n')
      .filter((l) => !/\t/.test(l))
      .join('\r\n');
    expect(readAlipayBillZip(liveZip(empty))).toEqual({ kind: 'bill', lines: [] });
  });

  it('refuses a body that is not a zip: the plain CSV, or garbage after a zip signature', async () => {
    expect(await downloadFrom(gbk(LIVE_DETAIL))).toEqual({ kind: 'unknown', reason: 'bill_not_zip' });
    expect(await downloadFrom('<html>error</html>')).toEqual({ kind: 'unknown', reason: 'bill_not_zip' });
    // The first entry's deflate data starts with a reserved block type: the zip's structure is intact.
    const broken = liveZip();
    const local = new DataView(broken.buffer);
    const data = 30 + local.getUint16(26, true) + local.getUint16(28, true);
    broken.fill(0xee, data, data + 8);
    expect(readAlipayBillZip(broken)).toEqual({ kind: 'unknown', reason: 'bill_zip_corrupt' });
  });

  it('refuses a zip without a detail file, or with two', () => {
    const summaryOnly = zipWithGbkNames([[`${ACCOUNT}_20190916_业务明细(汇总).csv`, gbk(LIVE_SUMMARY)]], new Date());
    expect(readAlipayBillZip(summaryOnly)).toEqual({ kind: 'unknown', reason: 'bill_without_detail' });
    // A UTF-8 detail is not the file Alipay sends: decoded as GBK its header is not there.
    const utf8Detail = zipWithGbkNames(
      [[`${ACCOUNT}_20190916_业务明细.csv`, new TextEncoder().encode(LIVE_DETAIL)]],
      new Date(),
    );
    expect(readAlipayBillZip(utf8Detail)).toEqual({ kind: 'unknown', reason: 'bill_without_detail' });
    const twice = zipWithGbkNames(
      [
        ['a.csv', gbk(LIVE_DETAIL)],
        ['b.csv', gbk(LIVE_DETAIL)],
      ],
      new Date(),
    );
    expect(readAlipayBillZip(twice)).toEqual({ kind: 'unknown', reason: 'bill_several_details' });
  });

  it('refuses a detail row it would read from the wrong columns', () => {
    const shifted = LIVE_DETAIL.replace(
      '下单测试,2019-09-16 10:55:16,2019-09-16 10:55:23',
      '下单,测试,2019-09-16 10:55:16,2019-09-16 10:55:23',
    );
    expect(readAlipayBillZip(liveZip(shifted))).toEqual({ kind: 'unknown', reason: 'malformed_bill' });
  });

  it('refuses an entry whose uncompressed size is over the bound, before inflating it, and a body over the bound', async () => {
    const zip = liveZip();
    const detailSize = gbk(LIVE_DETAIL).length;
    expect(
      readAlipayBillZip(zip, { ...ALIPAY_BILL_LIMITS, maxUnzippedBytes: detailSize + gbk(LIVE_SUMMARY).length }),
    ).toMatchObject({ kind: 'bill' });
    expect(readAlipayBillZip(zip, { ...ALIPAY_BILL_LIMITS, maxUnzippedBytes: detailSize })).toEqual({
      kind: 'unknown',
      reason: 'bill_too_large',
    });
    // A zip bomb declares a small file and inflates to gigabytes; one that declares 4 GB is refused as it stands.
    const lying = zip.slice();
    const v = new DataView(lying.buffer);
    let eocd = lying.length - 22;
    while (v.getUint32(eocd, true) !== 0x06054b50) eocd--;
    v.setUint32(v.getUint32(eocd + 16, true) + 24, 0xfffffff0, true);
    expect(readAlipayBillZip(lying)).toEqual({ kind: 'unknown', reason: 'bill_too_large' });
    expect(await downloadFrom(zip, { ...ALIPAY_BILL_LIMITS, maxBodyBytes: zip.length - 1 })).toEqual({
      kind: 'unknown',
      reason: 'bill_too_large',
    });
    expect(await downloadFrom(zip, { ...ALIPAY_BILL_LIMITS, maxBodyBytes: zip.length })).toMatchObject({
      kind: 'bill',
    });
    // Streamed without a content-length: counted while it is read, so an endless body is cut off at the bound
    // (instead of being held until the timeout).
    expect(
      await downloadFrom(new Blob([zip]).stream(), { ...ALIPAY_BILL_LIMITS, maxBodyBytes: zip.length }),
    ).toMatchObject({ kind: 'bill' });
    const endless = new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(new Uint8Array(64 * 1024)) });
    expect(await downloadFrom(endless, { ...ALIPAY_BILL_LIMITS, maxBodyBytes: 1024 * 1024 })).toEqual({
      kind: 'unknown',
      reason: 'bill_too_large',
    });
  });
});

describe('the sign of an amount in the detail rows', () => {
  const row = (type: string, amount: string) => {
    const r = BILL_COLUMNS.map(() => '');
    Object.assign(r, {
      0: '2026112522001400001000000001\t',
      1: 'P20261125120000000000001\t',
      2: type,
      4: '2026-11-25 12:00:00',
      5: '2026-11-25 12:00:05',
      11: amount,
      12: amount,
      21: type === '退款' ? 'R1' : '',
    });
    return ['#支付宝业务明细查询', BILL_COLUMNS.join(','), r.join(','), '#-----业务明细列表结束-----'].join('\r\n');
  };

  it('reads a payment as positive and a refund as negative, and refuses either sign the wrong way round', () => {
    expect(parseAlipayBillCsv(row('交易', '10.00'))).toMatchObject([{ kind: 'payment', amount: 1000 }]);
    expect(parseAlipayBillCsv(row('退款', '-4.00'))).toMatchObject([{ kind: 'refund', amount: 400, refundNo: 'R1' }]);
    expect(parseAlipayBillCsv(row('交易', '-10.00'))).toBeNull();
    expect(parseAlipayBillCsv(row('退款', '4.00'))).toBeNull();
  });
});
