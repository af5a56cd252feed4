import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs. Anything that could carry a secret is redacted by path, and adapters never log keys,
 * signatures' inputs or full notification bodies.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'authorization',
          '*.authorization',
          'headers.authorization',
          'headers.cookie',
          'privateKey',
          '*.privateKey',
        ],
        censor: '[redacted]',
      },
    },
    destination as never,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
