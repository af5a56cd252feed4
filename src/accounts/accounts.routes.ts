import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import { errorResponses, newRouter } from '../http/env.ts';
import { lineText } from '../lib/text.ts';
import { requireUser, sessionToken } from '../http/auth.ts';
import { clientIp } from '../http/client-ip.ts';
import { SESSION_COOKIE, sessionCookieOptions } from './accounts.ts';
import type { AccountsService } from './accounts.service.ts';

const UserSchema = z
  .object({ id: z.number().int(), email: z.string(), role: z.enum(['customer', 'support', 'admin']) })
  .openapi('User');

export function accountsRoutes(accounts: AccountsService, opts: { secureCookies: boolean }) {
  return newRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/auth/login',
        tags: ['accounts'],
        summary: 'Log in: a bearer token and a session cookie',
        request: {
          body: {
            required: true,
            content: {
              'application/json': {
                schema: z.object({ email: lineText().min(3).max(254), password: lineText().min(1).max(200) }),
              },
            },
          },
        },
        responses: {
          200: {
            description: 'Logged in',
            content: { 'application/json': { schema: z.object({ token: z.string(), user: UserSchema }) } },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const { email, password } = c.req.valid('json');
        const { token, user } = await accounts.login(email, password, clientIp(c));
        setCookie(c, SESSION_COOKIE, token, sessionCookieOptions(opts.secureCookies));
        return c.json({ token, user }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/auth/logout',
        tags: ['accounts'],
        summary: 'End this session',
        responses: { 204: { description: 'Logged out' } },
      }),
      async (c) => {
        const token = sessionToken(c);
        if (token) await accounts.logout(token);
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/me',
        tags: ['accounts'],
        summary: 'The logged-in user',
        responses: {
          200: { description: 'User', content: { 'application/json': { schema: UserSchema } } },
          ...errorResponses,
        },
      }),
      (c) => c.json(requireUser(c), 200),
    );
}
