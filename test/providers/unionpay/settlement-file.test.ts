import { deflateSync, inflateSync } from 'node:zlib';
import { unzipSync, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingCompact } from '../../../src/lib/clock.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { createAcpClient, type AcpPost } from '../../../src/providers/unionpay/acp-client.ts';
import type { AcpFields } from '../../../src/providers/unionpay/acp-fields.ts';
import { certIdOf } from '../../../src/providers/unionpay/acp-signature.ts';
import { trustAnchors } from '../../../src/providers/unionpay/gateway-cert.ts';
import { downloadSettlementFile, readSettlementFile } from '../../../src/providers/unionpay/settlement-file.ts';
import { startUnionpayHarness, type UnionpayHarness } from '../../support/providers/unionpay.harness.ts';

let h: UnionpayHarness;
beforeAll(async () => {
  h = await startUnionpayHarness(); // 2026-11-25 20:00 in Beijing
});
afterAll(() => h.close());

async function paid(amount: number) {
  const input = h.attempt(amount);
  await h.submitConsume(input);
  await h.control(`pay/${input.paymentNo}`);
  const state = await h.provider.queryPayment(input);
  if (state.kind !== 'succeeded') throw new Error(JSON.stringify(state));
  return { ...input, providerTradeNo: state.providerTradeNo };
}

const isoDay = (at: Date, offsetDays: number) => {
  const c = beijingCompact(new Date(at.getTime() + offsetDays * 24 * 3600_000));
  return `${c.slice(0, 4)}-${c.slice(4, 6)}-${c.slice(6, 8)}`;
};

describe('UnionPay settlement file through fileTransfer.do', () => {
  it('has no file for today’s settleDate, then lists the day’s consumes and settled refunds', async () => {
    const a = await paid(1000);
    const b = await paid(2550);
    const refund = {
      refundNo: `R${a.paymentNo.slice(1)}`,
      createdAt: h.clock.now(),
      amount: 400,
      reason: 'size',
      payment: a,
      notifyUrl: a.notifyUrl,
    };
    expect((await h.provider.refund(refund)).kind).toBe('processing');
    await h.control(`refunds/${refund.refundNo}`, { outcome: 'succeeded' });
    expect(await h.provider.downloadBill('2026-11-25')).toEqual({ kind: 'not_ready' });

    h.clock.advance(6 * 3600_000);
    const bill = await h.provider.downloadBill('2026-11-25');
    if (bill.kind !== 'bill') throw new Error(JSON.stringify(bill));
    expect(
      bill.lines.map(({ kind, paymentNo, refundNo, amount, providerTradeNo }) => ({
        kind,
        paymentNo,
        refundNo,
        amount,
        providerTradeNo,
      })),
    ).toEqual([
      { kind: 'payment', paymentNo: a.paymentNo, refundNo: null, amount: 1000, providerTradeNo: a.providerTradeNo },
      { kind: 'payment', paymentNo: b.paymentNo, refundNo: null, amount: 2550, providerTradeNo: b.providerTradeNo },
      {
        kind: 'refund',
        paymentNo: a.paymentNo,
        refundNo: refund.refundNo,
        amount: 400,
        providerTradeNo: expect.stringMatching(/^\d{21}$/),
      },
    ]);
  });

  it('comes from the file host, not the gateway: the gateway answers 404 for fileTransfer', async () => {
    // ACPSample's acp_sdk.properties: acpsdk.fileTransUrl=https://filedownload.95516.com/ (a host of its own).
    const creds = h.sandbox.credentials;
    expect(creds.fileUrl).not.toContain(creds.gateway + '/gateway');
    const old = await fetch(`${creds.gateway}/gateway/api/fileTransfer.do`, { method: 'POST', body: 'txnType=76' });
    expect(old.status).toBe(404);
    h.clock.advance(24 * 3600_000);
    expect(await h.provider.downloadBill(isoDay(h.clock.now(), -1))).toMatchObject({ kind: 'bill' });
  });

  it('answers unknown when the gateway is busy, not an empty day', async () => {
    await h.control('faults', { call: { fault: 'error', api: 'fileTransfer' } });
    expect(await h.provider.downloadBill('2026-11-25')).toMatchObject({ kind: 'unknown' });
  });
});

/** Where UnionPay's ZM layout puts the fields these tests look at: [byte offset, width]; a line is 607 bytes. */
const ZM = {
  txnCode: [0, 3],
  traceTime: [35, 10],
  txnAmt: [66, 12],
  queryId: [87, 21],
  orderId: [112, 32],
  txnType: [215, 2],
  origQryId: [271, 21],
  merId: [293, 15],
  subMerAbbr: [327, 32],
  origOrderId: [476, 32],
} as const;
const ZM_WIDTH = 607;
type ZmField = keyof typeof ZM;

/** A hand-made ZM line: blanks everywhere, the given values (GBK) left-aligned at their offsets. */
function zmLine(values: Partial<Record<ZmField, string>>): Buffer {
  const line = Buffer.alloc(ZM_WIDTH, ' ');
  for (const [key, value] of Object.entries(values) as [ZmField, string][]) {
    const [at, width] = ZM[key];
    const bytes = iconv.encode(value, 'gbk');
    if (bytes.length > width) throw new Error(`${key} too wide`);
    bytes.copy(line, at);
  }
  return line;
}

/** The field's text, after checking that it is delimited by spaces (or the line's ends) like every field. */
function zmField(line: Buffer, key: ZmField): string {
  const [at, width] = ZM[key];
  if (at > 0 && line[at - 1] !== 0x20) throw new Error(`no space before ${key}`);
  if (at + width < line.length && line[at + width] !== 0x20) throw new Error(`no space after ${key}`);
  return line.subarray(at, at + width).toString('latin1');
}

const zmFile = (lines: Buffer[]) => Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\r\n')]));
const fileContent = (files: Record<string, Uint8Array>) => deflateSync(zipSync(files)).toString('base64');

describe('the sandbox’s fileContent, read as UnionPay writes it', () => {
  it('is a deflated zip named {merId}_{yyyyMMdd}.zip holding INN…88ZM_{merId} with 607-byte CRLF lines and the fields at their offsets', async () => {
    const c = await paid(1234);
    h.clock.advance(24 * 3600_000); // the consume's settleDate is over; the refund settles on the next one
    const refund = {
      refundNo: `R${c.paymentNo.slice(1)}`,
      createdAt: h.clock.now(),
      amount: 234,
      reason: 'late',
      payment: c,
      notifyUrl: c.notifyUrl,
    };
    expect((await h.provider.refund(refund)).kind).toBe('processing');
    await h.control(`refunds/${refund.refundNo}`, { outcome: 'succeeded' });
    h.clock.advance(24 * 3600_000);

    const creds = h.sandbox.credentials;
    const real = createAcpClient({
      gateway: creds.fileUrl,
      signKey: creds.signKey,
      certId: certIdOf(creds.signCert),
      anchors: trustAnchors(creds.rootCert, creds.middleCert, true),
      clock: h.clock,
      log: silentLogger,
      timeoutMs: 5_000,
    });
    const answers: AcpFields[] = [];
    const post: AcpPost = async (path, fields) => {
      const a = await real(path, fields);
      if (a.ok) answers.push(a.fields);
      return a;
    };
    const consumeDay = beijingCompact(c.createdAt).slice(0, 8);
    const bill = await downloadSettlementFile(
      post,
      { merId: creds.merId, clock: h.clock },
      `${consumeDay.slice(0, 4)}-${consumeDay.slice(4, 6)}-${consumeDay.slice(6)}`,
    );
    const refundDay = beijingCompact(refund.createdAt).slice(0, 8);
    const later = await downloadSettlementFile(
      post,
      { merId: creds.merId, clock: h.clock },
      `${refundDay.slice(0, 4)}-${refundDay.slice(4, 6)}-${refundDay.slice(6)}`,
    );

    expect(answers.map((a) => a.fileName)).toEqual([
      `${creds.merId}_${consumeDay}.zip`,
      `${creds.merId}_${refundDay}.zip`,
    ]);
    const zip = unzipSync(inflateSync(Buffer.from(answers[1]!.fileContent!, 'base64')));
    expect(Object.keys(zip).sort()).toEqual([
      `INN${refundDay.slice(2)}88ZME_${creds.merId}`,
      `INN${refundDay.slice(2)}88ZM_${creds.merId}`,
    ]);
    const text = Buffer.from(zip[`INN${refundDay.slice(2)}88ZM_${creds.merId}`]!);
    expect(text.subarray(-2).toString()).toBe('\r\n');
    const lines = text
      .toString('latin1')
      .split('\r\n')
      .slice(0, -1)
      .map((l) => Buffer.from(l, 'latin1'));
    expect(lines.map((l) => l.length)).toEqual([ZM_WIDTH]);
    const row = Object.fromEntries((Object.keys(ZM) as ZmField[]).map((k) => [k, zmField(lines[0]!, k)]));
    expect(row).toEqual({
      txnCode: 'S31',
      traceTime: expect.stringMatching(new RegExp(`^${refundDay.slice(4)}\\d{6}$`)),
      txnAmt: '000000000234',
      queryId: expect.stringMatching(/^\d{21}$/),
      orderId: refund.refundNo.padEnd(32),
      txnType: '04',
      origQryId: c.providerTradeNo,
      merId: creds.merId,
      subMerAbbr: ' '.repeat(32),
      origOrderId: c.paymentNo.padEnd(32),
    });

    // The consume's day lists it alone; the refund's day names its consume through 原始交易订单号.
    if (bill.kind !== 'bill' || later.kind !== 'bill') throw new Error(JSON.stringify({ bill, later }));
    expect(bill.lines.filter((l) => l.paymentNo === c.paymentNo)).toEqual([
      {
        kind: 'payment',
        paymentNo: c.paymentNo,
        refundNo: null,
        providerTradeNo: c.providerTradeNo,
        amount: 1234,
        at: expect.any(Date),
      },
    ]);
    expect(later.lines).toEqual([
      {
        kind: 'refund',
        paymentNo: c.paymentNo,
        refundNo: refund.refundNo,
        providerTradeNo: zmField(lines[0]!, 'queryId'),
        amount: 234,
        at: expect.any(Date),
      },
    ]);
  });
});

describe('reading a ZM file', () => {
  const MER = '898111111111111';
  const Q = (n: number) => String(n).padStart(21, '0');
  const consume = (orderId: string, queryId: string, traceTime: string, fen: number) =>
    zmLine({
      txnCode: 'S22',
      traceTime,
      txnAmt: String(fen).padStart(12, '0'),
      queryId,
      orderId,
      txnType: '01',
      merId: MER,
    });
  const back = (
    txnType: '04' | '31',
    orderId: string,
    queryId: string,
    origQryId: string,
    traceTime: string,
    fen: number,
    origOrderId = '',
  ) =>
    zmLine({
      txnCode: txnType === '04' ? 'S31' : 'S30',
      traceTime,
      txnAmt: String(fen).padStart(12, '0'),
      queryId,
      orderId,
      txnType,
      origQryId,
      merId: MER,
      origOrderId,
    });
  const read = (lines: Buffer[], date = '2027-01-01') =>
    readSettlementFile(fileContent({ [`INN${date.slice(2).replace(/-/g, '')}88ZM_${MER}`]: zmFile(lines) }), date, MER);

  it('turns consumes, refunds and undos into bill lines, joining refunds to their consume by queryId', () => {
    const bill = read([
      consume('P20270101001', Q(1), '0101093000', 1000),
      back('04', 'R20270101001', Q(2), Q(1), '0101100000', 300),
      // A refund of a consume settled on an earlier day: the file does not name it…
      back('04', 'R20270101002', Q(3), Q(99), '0101110000', 50),
      // …unless 原始交易订单号 is filled.
      back('31', 'R20270101003', Q(4), Q(98), '0101120000', 70, 'P20261230009'),
      // A December trade in the file of 1 January: last year's.
      zmLine({
        txnCode: 'S22',
        traceTime: '1231235900',
        txnAmt: '000000002000',
        queryId: Q(5),
        orderId: 'P20261231001',
        txnType: '01',
        merId: MER,
        subMerAbbr: '测试商户',
      }),
      // A pre-authorisation holds money without moving it: not a bill line.
      zmLine({
        txnCode: 'S10',
        traceTime: '0101130000',
        txnAmt: '000000009900',
        queryId: Q(6),
        orderId: 'A20270101001',
        txnType: '02',
        merId: MER,
      }),
    ]);
    expect(bill).toEqual({
      kind: 'bill',
      lines: [
        {
          kind: 'payment',
          paymentNo: 'P20270101001',
          refundNo: null,
          providerTradeNo: Q(1),
          amount: 1000,
          at: new Date('2027-01-01T09:30:00+08:00'),
        },
        {
          kind: 'refund',
          paymentNo: 'P20270101001',
          refundNo: 'R20270101001',
          providerTradeNo: Q(2),
          amount: 300,
          at: new Date('2027-01-01T10:00:00+08:00'),
        },
        {
          kind: 'refund',
          paymentNo: '',
          refundNo: 'R20270101002',
          providerTradeNo: Q(3),
          amount: 50,
          at: new Date('2027-01-01T11:00:00+08:00'),
        },
        {
          kind: 'refund',
          paymentNo: 'P20261230009',
          refundNo: 'R20270101003',
          providerTradeNo: Q(4),
          amount: 70,
          at: new Date('2027-01-01T12:00:00+08:00'),
        },
        {
          kind: 'payment',
          paymentNo: 'P20261231001',
          refundNo: null,
          providerTradeNo: Q(5),
          amount: 2000,
          at: new Date('2026-12-31T23:59:00+08:00'),
        },
      ],
    });
  });

  const good = consume('P20270101001', Q(1), '0101093000', 1000);
  it.each([
    ['a truncated line', good.subarray(0, ZM_WIDTH - 1)],
    ['a line one byte too long', Buffer.concat([good, Buffer.from(' ')])],
    ['a field not followed by a space', Buffer.concat([good.subarray(0, 3), Buffer.from('X'), good.subarray(4)])],
    ['a non-numeric amount', consume('P20270101001', Q(1), '0101093000', 1000).fill('0000000010.0', 66, 78)],
    ['a day that does not exist', consume('P20270101001', Q(1), '0230093000', 1000)],
    [
      'a 交易类型 mallpay cannot reconcile (11 代收)',
      zmLine({
        txnCode: 'S22',
        traceTime: '0101093000',
        txnAmt: '000000001000',
        queryId: Q(1),
        orderId: 'P1',
        txnType: '11',
        merId: MER,
      }),
    ],
    ['a refund without 原交易查询流水号', back('04', 'R20270101001', Q(2), '', '0101100000', 300)],
  ])('refuses the whole file for %s', (_what, bad) => {
    expect(read([good, bad])).toEqual({ kind: 'unknown', reason: 'malformed_file' });
  });

  it('answers a stable reason for a zip without a ZM file, and for content that is no deflated zip', () => {
    const noZm = fileContent({
      [`INN27010188ZME_${MER}`]: new Uint8Array(0),
      [`INN27010101ACOMN_${MER}`]: zmFile([good]),
    });
    expect(readSettlementFile(noZm, '2027-01-01', MER)).toEqual({ kind: 'unknown', reason: 'zm_file_missing' });
    expect(readSettlementFile(Buffer.from('not deflated').toString('base64'), '2027-01-01', MER)).toEqual({
      kind: 'unknown',
      reason: 'file_content_not_deflated',
    });
    expect(readSettlementFile(deflateSync(zmFile([good])).toString('base64'), '2027-01-01', MER)).toEqual({
      kind: 'unknown',
      reason: 'file_content_not_zip',
    });
  });

  it('never reads another merchant’s file or another day’s as ours', () => {
    const other = fileContent({
      [`INN27010188ZM_${MER.replace(/.$/, (d) => String((Number(d) + 1) % 10))}`]: zmFile([good]),
    });
    expect(readSettlementFile(other, '2027-01-01', MER)).toEqual({ kind: 'unknown', reason: 'zm_file_missing' });
    const yesterday = fileContent({ [`INN26123188ZM_${MER}`]: zmFile([good]) });
    expect(readSettlementFile(yesterday, '2027-01-01', MER)).toEqual({
      kind: 'unknown',
      reason: 'zm_file_of_another_day',
    });
    // A group merchant's zip: ours is picked out by its suffix.
    const group = fileContent({
      [`INN27010188ZM_${MER}`]: zmFile([good]),
      INN27010188ZM_999999999999999: zmFile([good, good]),
    });
    expect(readSettlementFile(group, '2027-01-01', MER)).toMatchObject({ kind: 'bill', lines: [{ kind: 'payment' }] });
  });

  it('refuses a ZM entry that declares more than 64 MiB, without inflating it', () => {
    const zip = zipSync({ [`INN27010188ZM_${MER}`]: zmFile([good]) });
    // The central directory's uncompressed size (offset 24 of its header), which unzip trusts.
    const central = Buffer.from(zip).indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    new DataView(zip.buffer, zip.byteOffset).setUint32(central + 24, 64 * 1024 * 1024 + 1, true);
    expect(readSettlementFile(deflateSync(zip).toString('base64'), '2027-01-01', MER)).toEqual({
      kind: 'unknown',
      reason: 'zip_entry_too_large',
    });
  });
});
