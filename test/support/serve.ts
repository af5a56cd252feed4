import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

interface Fetchable {
  fetch: (req: Request) => Response | Promise<Response>;
}

/** Serves an app on an ephemeral loopback port: providers and sandboxes talk over real HTTP in tests. */
export async function serveOnLoopback(app: Fetchable): Promise<{ url: string; close: () => Promise<void> }> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/**
 * An origin whose app is set after the port is known: the sandbox must know its own URL when it is
 * built, and the server must exist to have one.
 */
export async function lateBoundServer(): Promise<{
  url: string;
  setApp: (app: Fetchable) => void;
  close: () => Promise<void>;
}> {
  let target: Fetchable | undefined;
  const s = await serveOnLoopback({
    fetch: (req) => (target ? target.fetch(req) : new Response('not ready', { status: 503 })),
  });
  return { ...s, setApp: (app) => void (target = app) };
}
