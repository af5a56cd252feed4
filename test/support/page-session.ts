/** How a test reaches the app: `app.request` (no socket) or `fetch` against a running mall. */
export type Send = (path: string, init?: RequestInit) => Response | Promise<Response>;

/**
 * A browser as the pages see it: the session cookie from logging in, the pre-session cookie the pages set,
 * and the anti-forgery token read from a page's form, so that a test can post forms as the pages' own would.
 */
export function pageSession(send: Send) {
  const cookies = new Map<string, string>();
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return res;
  };
  async function request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (cookies.size && !headers.has('cookie')) headers.set('cookie', cookieHeader());
    return keep(await send(path, { redirect: 'manual', ...init, headers }));
  }
  return {
    request,
    cookies,
    cookieHeader,
    async login(who: 'customer' | 'support' | 'admin') {
      const res = await request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${who}@demo.test`, password: `demo-${who}` }),
      });
      if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
      return ((await res.json()) as { token: string }).token;
    },
    /** The anti-forgery token in the form of the page at `path`. */
    async csrf(path = '/'): Promise<string> {
      const html = await (await request(path)).text();
      const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
      if (!token) throw new Error(`no anti-forgery token on ${path}`);
      return token;
    },
    /** A form post with this browser's cookies and token, as a page's own form sends it. */
    async post(
      path: string,
      fields: Record<string, string>,
      opts: { token?: string; from?: string; headers?: Record<string, string> } = {},
    ) {
      const body = new URLSearchParams({ _csrf: opts.token ?? (await this.csrf(opts.from)), ...fields });
      return request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers },
        body,
      });
    },
  };
}
