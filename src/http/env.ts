import { OpenAPIHono } from '@hono/zod-openapi';
import type { User } from '../accounts/accounts.ts';
import type { Logger } from '../lib/log.ts';
import { AppError } from '../lib/errors.ts';
import { INVALID_CHARACTERS } from '../lib/text.ts';

export type AppEnv = {
  Variables: {
    requestId: string;
    log: Logger;
    user: User | undefined;
  };
};

/** A router whose schema failures answer in the contract's error shape. */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        // A value refused for its characters has its own code (lib/text.ts), whatever field it was in.
        const bad = result.error.issues.find(
          (i) => (i as { params?: { code?: string } }).params?.code === INVALID_CHARACTERS,
        );
        if (bad) throw new AppError('invalid_characters', `${bad.path.join('.') || 'request'}: ${bad.message}`);
        const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        const first = issues[0];
        throw new AppError(
          'validation_failed',
          first ? `${first.path || 'request'}: ${first.message}` : 'invalid request',
          issues,
        );
      }
    },
  });
}

/** The error shape every 4xx/5xx answers with, for the OpenAPI document. */
export const errorResponses = {
  400: { description: 'Malformed request' },
  401: { description: 'Not logged in' },
  403: { description: 'Not allowed for this role' },
  404: { description: 'Not found, or not yours' },
  409: { description: 'Not possible in the current state' },
  422: { description: 'Invalid input' },
} as const;
