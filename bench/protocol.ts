/** What run.ts and the load generator (load.ts) say to each other over IPC. */

export interface PreparedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | undefined;
  /** The acknowledgement body a success must have (Alipay answers 200 `failure` when it refuses). */
  expect?: string | undefined;
}

export interface LoadCommand {
  id: number;
  url: string;
  concurrency: number;
  durationMs: number;
  /** Notification mode: each request is sent once, in order, until they run out or time is up. */
  requests?: PreparedRequest[];
  /** Checkout mode: place an order, then create its payment, as one timed operation. */
  checkout?: { tokens: string[]; skus: string[]; method: string; channel: string };
  maxOperations?: number;
}

export interface LoadResult {
  id: number;
  /** Operations completed (requests, or checkouts). */
  sent: number;
  elapsedMs: number;
  statuses: Record<string, number>;
  /** A few answers that were not the expected success. */
  failures: string[];
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** CPU time the load generator itself used. */
  cpuMs: number;
  /** Every prepared request was sent before time was up: the figure covers a shorter run. */
  ranOut: boolean;
  error?: string;
}
