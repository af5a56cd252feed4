import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { randomBytes } from 'node:crypto';
import { isStaff, SESSION_COOKIE, type User } from '../accounts/accounts.ts';
import type { AccountsService } from '../accounts/accounts.service.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { countUnreadNotices } from '../notices/notices.repository.ts';
import { CSRF_FIELD, PRESESSION_COOKIE, type Csrf } from './csrf.ts';
import { i18n, LANGS, pickLang, type I18n, type Lang } from './i18n/index.ts';

/** The language a visitor chose with ?lang=, remembered for the pages that cannot carry it. */
const LANG_COOKIE = 'mallpay_lang';

/** What every page knows about its request: who, in which language, and the anti-forgery token. */
export interface Web extends I18n {
  user: User | undefined;
  csrfToken: string;
  /** A link within the pages, keeping an explicit `?lang=` choice. */
  href: (path: string) => string;
  /** The current path with another language. */
  langHref: (lang: Lang) => string;
  path: string;
  /** A customer's unread notices, for the header's badge. */
  unreadNotices: number;
  /** Throws csrf_rejected unless the form carries this browser's token. */
  checkCsrf: (form: Record<string, unknown>) => void;
}

export interface WebAuth {
  accounts: AccountsService;
  csrf: Csrf;
  secureCookies: boolean;
  /** For the header's count of unread notices; without it the badge is not shown. */
  db?: Db;
}

/**
 * Pages read the session cookie only (no bearer tokens: a browser sends what it holds). Anonymous
 * visitors get a pre-session cookie so the login form, too, carries a token bound to this browser.
 */
export async function loadWeb(c: Context, auth: WebAuth): Promise<Web> {
  const session = getCookie(c, SESSION_COOKIE);
  const user = session ? await auth.accounts.authenticate(session) : undefined;
  let binding = user ? session : getCookie(c, PRESESSION_COOKIE);
  if (!binding) {
    binding = randomBytes(24).toString('base64url');
    setCookie(c, PRESESSION_COOKIE, binding, {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      secure: auth.secureCookies,
    });
  }
  const url = new URL(c.req.url);
  const explicit = url.searchParams.get('lang') ?? undefined;
  // An explicit choice is remembered, so that it survives a trip through a provider's cashier (whose
  // return URL is fixed) and a link without ?lang=.
  const chosen = LANGS.find((l) => l.toLowerCase() === explicit?.toLowerCase());
  if (chosen && getCookie(c, LANG_COOKIE) !== chosen) {
    setCookie(c, LANG_COOKIE, chosen, {
      sameSite: 'Lax',
      path: '/',
      maxAge: 365 * 24 * 3600,
      secure: auth.secureCookies,
    });
  }
  const lang = pickLang(chosen ?? getCookie(c, LANG_COOKIE), c.req.header('accept-language'));
  const keep = explicit && lang === explicit;
  const href = (path: string) =>
    keep ? `${path}${path.includes('?') ? '&' : '?'}lang=${encodeURIComponent(lang)}` : path;
  const langHref = (to: Lang) => {
    const q = new URLSearchParams(url.search);
    q.set('lang', to);
    return `${url.pathname}?${q}`;
  };
  const bound = binding;
  const checkCsrf = (form: Record<string, unknown>) => {
    if (!auth.csrf.verify(bound, form[CSRF_FIELD]))
      throw new AppError('csrf_rejected', 'the form is missing a valid anti-forgery token');
  };
  const unreadNotices = user?.role === 'customer' && auth.db ? await countUnreadNotices(auth.db, user.id) : 0;
  return {
    ...i18n(lang),
    user,
    unreadNotices,
    csrfToken: auth.csrf.tokenFor(binding),
    href,
    langHref,
    path: url.pathname + url.search,
    checkCsrf,
  };
}

/** A page for a logged-in user; anyone else is sent to log in and brought back. */
export function needUser(web: Web): User {
  if (!web.user) throw new LoginRequired(web.path);
  return web.user;
}

export function needStaff(web: Web): User {
  const user = needUser(web);
  if (!isStaff(user)) throw new AppError('forbidden', 'staff only');
  return user;
}

export function needCustomer(web: Web): User {
  const user = needUser(web);
  if (user.role !== 'customer') throw new AppError('forbidden', 'customers only');
  return user;
}

export class LoginRequired extends Error {
  constructor(readonly next: string) {
    super('login required');
  }
}

/** A base no request can name: `next` counts as ours only if it resolves against it to this very origin. */
const OWN_ORIGIN = 'http://mallpay.invalid';

/**
 * Only our own paths are valid targets after login, never another site. `next` is parsed the way a browser
 * will parse the Location header (the URL standard strips tabs and newlines and reads `\` as `/`, so
 * `/\t/evil.example` is `//evil.example`), must stay on this origin, and is re-serialised from its parts,
 * which leaves no control character to send.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return '/';
  try {
    const url = new URL(next, OWN_ORIGIN);
    return url.origin === OWN_ORIGIN ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}
