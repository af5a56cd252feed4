import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** The caller's address as the socket sees it (behind a proxy that is the proxy's: configure it to pass the real one). */
export function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address?.replace(/^::ffff:/, '') ?? '127.0.0.1';
  } catch {
    // app.request() in tests has no socket.
    return '127.0.0.1';
  }
}
