import { crc32, inflateRawSync } from 'node:zlib';

/**
 * A small, strict zip reader for the providers' bill files. It reads the central directory, refuses a zip
 * that declares too many entries or too many bytes before anything is inflated, and inflates an entry only
 * when asked, into at most its declared size, checking the size and the CRC-32: a truncated or altered entry
 * is an error, never a shorter file (fflate's unzip neither checks the CRC nor notices a size that lies).
 */
export interface ZipLimits {
  maxEntries: number;
  /** All entries together, uncompressed, as declared. */
  maxTotalBytes: number;
}

export interface ZipEntry {
  /** The name's bytes as stored: providers write GBK names without the UTF-8 flag, so no decoding is guessed. */
  nameBytes: Buffer;
  /** The name read as latin1, byte for byte: good for ASCII names. */
  name: string;
  size: number;
  /** The entry's bytes; throws ZipError when they are not what the directory says. */
  read(): Buffer;
}

export class ZipError extends Error {
  constructor(readonly reason: 'not_zip' | 'corrupt' | 'too_large' | 'unsupported') {
    super(`zip ${reason}`);
  }
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The entries of a zip, or a ZipError with a stable reason. Only stored (0) and deflated (8) entries. */
export function readZip(bytes: Uint8Array, limits: ZipLimits): ZipEntry[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfDirectory(buf);
  const count = buf.readUInt16LE(eocd + 10);
  const dirOffset = buf.readUInt32LE(eocd + 16);
  if (count > limits.maxEntries) throw new ZipError('too_large');
  const entries: ZipEntry[] = [];
  let total = 0;
  let at = dirOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) throw new ZipError('corrupt');
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const compressed = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    const localOffset = buf.readUInt32LE(at + 42);
    if (next > buf.length) throw new ZipError('corrupt');
    // ZIP64 marks sizes it does not fit as 0xFFFFFFFF: far beyond any bill, so refused as too large.
    if (size === 0xffffffff || compressed === 0xffffffff) throw new ZipError('too_large');
    if (method !== 0 && method !== 8) throw new ZipError('unsupported');
    total += size;
    if (total > limits.maxTotalBytes) throw new ZipError('too_large');
    const nameBytes = buf.subarray(at + 46, at + 46 + nameLength);
    entries.push({
      nameBytes,
      name: nameBytes.toString('latin1'),
      size,
      read: () => inflateEntry(buf, localOffset, method, compressed, size, crc),
    });
    at = next;
  }
  return entries;
}

function findEndOfDirectory(buf: Buffer): number {
  // The record is 22 bytes plus a comment of up to 65,535 bytes, at the very end.
  for (let at = buf.length - 22; at >= Math.max(0, buf.length - 22 - 0xffff); at--) {
    if (buf.readUInt32LE(at) === EOCD) return at;
  }
  throw new ZipError('not_zip');
}

function inflateEntry(
  buf: Buffer,
  localOffset: number,
  method: number,
  compressed: number,
  size: number,
  crc: number,
): Buffer {
  if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== LOCAL) throw new ZipError('corrupt');
  const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
  if (start + compressed > buf.length) throw new ZipError('corrupt');
  const raw = buf.subarray(start, start + compressed);
  let data: Buffer;
  try {
    // Never more than the declared size: a stream that inflates further is an error here, not a bigger buffer.
    data = method === 0 ? raw : inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
  } catch {
    throw new ZipError('corrupt');
  }
  if (data.length !== size || crc32(data) !== crc) throw new ZipError('corrupt');
  return data;
}
