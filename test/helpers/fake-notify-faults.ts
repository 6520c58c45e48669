import type { ServerResponse } from 'node:http';

// Faults a test asks the fake for, taken by the next requests in order: an error answer (before or after
// the request did its work) or a wait.

export type Fault =
  { kind: 'status'; status: 500 | 503; afterProcessing: boolean } | { kind: 'hang'; ms?: number };

export class Faults {
  readonly #queue: Fault[] = [];
  readonly #hung = new Set<() => void>();

  add(count: number, fault: Fault): void {
    for (let i = 0; i < count; i++) this.#queue.push(fault);
  }

  next(): Fault | undefined {
    return this.#queue.shift();
  }

  /** Waits `ms`, or until release(). */
  hang(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const release = () => {
        clearTimeout(timer);
        this.#hung.delete(release);
        resolve();
      };
      this.#hung.add(release);
      if (ms !== undefined) timer = setTimeout(release, ms);
    });
  }

  release(): void {
    for (const release of [...this.#hung]) release();
  }

  get hung(): number {
    return this.#hung.size;
  }
}

/** Answers an injected failure: a 500 as Notify's own error handler, a 503 as the load balancer in front. */
export function answerFault(res: ServerResponse, status: 500 | 503): void {
  if (status === 500) {
    const text = JSON.stringify({
      status_code: 500,
      errors: [{ error: 'Exception', message: 'Internal server error' }],
    });
    res.writeHead(500, { 'content-type': 'application/json' }).end(text);
    return;
  }
  res
    .writeHead(503, { 'content-type': 'text/html' })
    .end('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
}

/** Somewhere to write the answer that a fault after processing throws away. */
export function discard(): ServerResponse {
  const sink = { headersSent: false, writeHead: () => sink, end: () => sink };
  return sink as unknown as ServerResponse;
}
