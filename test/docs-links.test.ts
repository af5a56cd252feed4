import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The code and the docs cite the notes in docs/ as `docs/<page>.md#<anchor>` (from the repository root) or, in
 * Markdown, as relative links. Every such reference must name a page that exists and, after `#`, a heading's
 * GitHub-style slug or an explicit `<a id="…">` of that page. Reads files only.
 */
const ROOT = normalize(join(dirname(fileURLToPath(import.meta.url)), '..'));
const SCANNED = ['src', 'sandbox', 'test', 'bench', 'docs', 'README.md'];
const TEXT = /\.(ts|tsx|js|mjs|md)$/;

function walk(path: string): string[] {
  const full = join(ROOT, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return TEXT.test(path) ? [path] : [];
  return readdirSync(full)
    .filter((name) => name !== 'node_modules' && !name.startsWith('.'))
    .flatMap((name) => walk(join(path, name)));
}

/** GitHub's heading slug: the rendered text, lower-cased, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[`*]/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

const anchorCache = new Map<string, Set<string>>();
/** The anchors a Markdown page offers: heading slugs (repeats get -1, -2, …) and explicit ids. */
function anchorsOf(page: string): Set<string> {
  const cached = anchorCache.get(page);
  if (cached) return cached;
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of readFileSync(join(ROOT, page), 'utf8').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = slug(heading[1]!);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const id of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id[1]!);
  }
  anchorCache.set(page, anchors);
  return anchors;
}

interface Reference {
  from: string;
  line: number;
  target: string; // a page path from the repository root
  anchor: string | null;
  text: string;
}

/** `docs/….md#anchor` written from the repository root, in any scanned file. */
const ROOTED = /(?<![\w./-])(docs\/[\w./-]+\.md)#([\w-]+)/g;
/** A Markdown link's target: `](page.md#anchor)`, `](#anchor)`, `](page.md)`. */
const LINK = /\]\(([^)\s]+)\)/g;

function referencesIn(file: string): Reference[] {
  const refs: Reference[] = [];
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  lines.forEach((line, i) => {
    for (const m of line.matchAll(ROOTED))
      refs.push({ from: file, line: i + 1, target: m[1]!, anchor: m[2]!, text: m[0] });
    if (!file.endsWith('.md')) return;
    for (const m of line.matchAll(LINK)) {
      const href = m[1]!;
      if (/^[a-z]+:/i.test(href) || href.startsWith('/') || href.includes('${')) continue;
      const [path, anchor] = href.split('#', 2) as [string, string | undefined];
      const target = path === '' ? file : relative(ROOT, join(ROOT, dirname(file), decodeURI(path)));
      if (!target.endsWith('.md') && anchor === undefined) continue;
      refs.push({ from: file, line: i + 1, target, anchor: anchor ?? null, text: href });
    }
  });
  return refs;
}

function unresolved(ref: Reference): string | null {
  const where = `${ref.from}:${ref.line} ${ref.text}`;
  if (!existsSync(join(ROOT, ref.target))) return `${where}: no file ${ref.target}`;
  if (ref.anchor === null || !ref.target.endsWith('.md')) return null;
  return anchorsOf(ref.target).has(ref.anchor) ? null : `${where}: no heading or id "${ref.anchor}" in ${ref.target}`;
}

describe('references into the docs', () => {
  const files = SCANNED.flatMap(walk);
  const refs = files.flatMap(referencesIn);

  it('computes heading slugs the way GitHub does', () => {
    expect(slug('Notification verification')).toBe('notification-verification');
    expect(slug('Alipay Open Platform (OpenAPI v2, `gateway.do`)')).toBe('alipay-open-platform-openapi-v2-gatewaydo');
    expect(slug('Choices on the [unconfirmed points](../protocols/alipay.md#unconfirmed)')).toBe(
      'choices-on-the-unconfirmed-points',
    );
    expect(slug('WeChat Pay v3')).toBe('wechat-pay-v3');
  });

  it('every docs/…md#anchor reference in code and docs names an existing page and heading or id', () => {
    // Guards the scan itself: the code cites the protocol notes well over a hundred times.
    expect(refs.filter((r) => r.target.startsWith('docs/protocols/')).length).toBeGreaterThan(100);
    expect(refs.map(unresolved).filter((miss) => miss !== null)).toEqual([]);
  });
});
