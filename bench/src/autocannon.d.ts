/** The part of autocannon's API (9.x, no bundled types) the API benchmark uses. */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface Request {
    readonly method?: string;
    readonly path: string;
    readonly headers?: Record<string, string>;
  }
  interface Options {
    readonly url: string;
    readonly connections?: number;
    readonly duration?: number;
    readonly pipelining?: number;
    readonly headers?: Record<string, string>;
    readonly requests?: readonly Request[];
  }
  export interface Result {
    readonly requests: { readonly total: number; readonly average: number };
    readonly throughput: { readonly average: number };
    readonly latency: { readonly p50: number; readonly p99: number; readonly max: number };
    readonly non2xx: number;
    readonly errors: number;
    readonly timeouts: number;
    readonly duration: number;
  }
  interface Instance extends EventEmitter {
    on(
      event: 'response',
      listener: (client: unknown, status: number, bytes: number, ms: number) => void,
    ): this;
    on(event: 'done', listener: (result: Result) => void): this;
  }
  function autocannon(options: Options): Instance;
  export default autocannon;
}
