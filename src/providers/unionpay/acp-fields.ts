/** ACP field sets: one map of names to raw values, as signed (docs/protocols/unionpay.md#signature). */
export type AcpFields = Record<string, string>;

const fresh = (): AcpFields => Object.create(null) as AcpFields;

/**
 * Parses a synchronous gateway response `k=v&k=v…` WITHOUT URL-decoding, splitting on `&` only outside
 * `{…}`/`[…]` values (demo `SDKUtil.parseQString`). URLSearchParams would turn the `+` of the base64 in
 * `signPubKeyCert` into spaces and break the signature (docs/protocols/unionpay.md#parsing-answers).
 */
export function parseRawFields(text: string): AcpFields {
  const out = fresh();
  let key: string | null = null;
  let start = 0;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (key === null) {
      if (c === '=') {
        key = text.slice(start, i);
        start = i + 1;
      } else if (c === '&') start = i + 1;
    } else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && depth > 0) depth--;
    else if (c === '&' && depth === 0) {
      if (key) out[key] = text.slice(start, i);
      key = null;
      start = i + 1;
    }
  }
  if (key) out[key] = text.slice(start);
  return out;
}

/** Notifications and the browser's frontUrl post are ordinary forms: decoded exactly once. */
export function parseFormFields(body: string): AcpFields {
  const out = fresh();
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

/**
 * The signed string: every field but `signature`, empty values dropped, ordinal key order, raw
 * values joined `k=v&…` (docs/protocols/unionpay.md#signature).
 */
export function signingString(fields: AcpFields): string {
  return Object.keys(fields)
    .filter((k) => k !== 'signature' && fields[k] !== '')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}
