import { CsrfField, Layout } from '../layout.tsx';
import type { Web } from '../web-context.ts';

export function LoginPage({ web, next, failed, email }: { web: Web; next: string; failed?: boolean; email?: string }) {
  return (
    <Layout web={web} title={web.m.login.title}>
      {failed ? (
        <p class="notice bad" role="alert">
          {web.m.login.failed}
        </p>
      ) : null}
      <form method="post" action={web.href('/login')} class="card">
        <CsrfField web={web} />
        <input type="hidden" name="next" value={next} />
        <label for="email">{web.m.login.email}</label>
        <input id="email" name="email" type="email" autocomplete="username" required value={email ?? ''} />
        <label for="password">{web.m.login.password}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <div>
          <button type="submit">{web.m.login.submit}</button>
        </div>
      </form>
      <p class="muted">{web.m.login.demo}</p>
    </Layout>
  );
}
