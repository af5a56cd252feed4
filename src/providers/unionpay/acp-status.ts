/**
 * The one mapping of UnionPay's wire outcomes to mallpay's statuses (docs/protocols/unionpay.md#query,
 * docs/protocols/unionpay.md#status-mapping). respCode classes: 00 success; 01–09 system (03/04/05: accepted, result
 * later); 10–29 format; 30–59 merchant/business (34: no such transaction); 60–89 card/issuer. A6 is success per the
 * demo.
 */
export type RespClass = 'success' | 'in_progress' | 'not_found' | 'duplicate' | 'system' | 'refused';

export function respClass(code: string | undefined): RespClass {
  if (code === '00' || code === 'A6') return 'success';
  if (code === '03' || code === '04' || code === '05') return 'in_progress';
  if (code === '34') return 'not_found';
  if (code === '12') return 'duplicate';
  if (code === undefined || /^0\d$/.test(code)) return 'system';
  return 'refused';
}

export type AcpOutcome =
  /** queryTrans for a consume; `pastPayTimeout`: the gateway would refuse the order now. */
  | { op: 'payment_query'; respCode: string; origRespCode: string | undefined; pastPayTimeout: boolean }
  /** backTransReq (refund 04) synchronous answer: 00 means accepted, never refunded. */
  | { op: 'refund_sync'; respCode: string }
  | { op: 'refund_query'; respCode: string; origRespCode: string | undefined }
  /** A timeout, an HTTP error, or an answer whose signature did not hold: never terminal. */
  | { op: 'no_answer' };

export type MappedStatus = 'pending' | 'succeeded' | 'closed' | 'failed' | 'processing' | 'not_found' | 'unknown';

function unreachable(x: never): never {
  throw new Error(`unmapped UnionPay outcome ${JSON.stringify(x)}`);
}

export function mapAcpStatus(o: AcpOutcome): MappedStatus {
  switch (o.op) {
    case 'no_answer':
      return 'unknown';
    case 'payment_query': {
      const query = respClass(o.respCode);
      if (query === 'not_found') return o.pastPayTimeout ? 'closed' : 'pending';
      if (query !== 'success') return 'unknown'; // the query itself failed: ask again
      const orig = respClass(o.origRespCode);
      if (orig === 'success') return 'succeeded';
      if (orig === 'in_progress') return 'pending';
      // A failed consume stays payable on the same orderId until payTimeout (the cardholder may try
      // another card at the cashier), so its failure is final only afterwards.
      return o.pastPayTimeout ? 'failed' : 'pending';
    }
    case 'refund_sync': {
      const sync = respClass(o.respCode);
      if (sync === 'success' || sync === 'in_progress') return 'processing';
      // 01/02/06–09 are system failures: the refund may or may not exist, so ask, never resend blindly.
      // 12 (duplicate orderId+txnTime) means a retry of a refund the gateway already has: ask too.
      if (sync === 'system' || sync === 'duplicate') return 'unknown';
      return 'failed';
    }
    case 'refund_query': {
      const query = respClass(o.respCode);
      if (query === 'not_found') return 'not_found';
      if (query !== 'success') return 'unknown';
      const orig = respClass(o.origRespCode);
      if (orig === 'success') return 'succeeded';
      if (orig === 'in_progress') return 'processing';
      return 'failed';
    }
    default:
      return unreachable(o);
  }
}
