import { Hono } from 'hono';
import { listNotices, markNoticesRead } from '../notices/notices.repository.ts';
import { NoticesPage } from './pages/notices.tsx';
import { loadWeb, needCustomer } from './web-context.ts';
import type { WebDeps } from './web-deps.ts';

/** The notice inbox: showing the notices marks them read, so the header's badge counts only new ones. */
export function noticesRoutes(deps: WebDeps) {
  const app = new Hono();
  app.get('/notices', async (c) => {
    const web = await loadWeb(c, deps);
    const user = needCustomer(web);
    const notices = await listNotices(deps.db, user.id, 100);
    // The page is rendered with what was unread (highlighted) before they are marked read.
    const page = NoticesPage({ web: { ...web, unreadNotices: 0 }, notices });
    if (notices[0]) await markNoticesRead(deps.db, user.id, notices[0].id, deps.clock.now());
    return c.html(page);
  });
  return app;
}
