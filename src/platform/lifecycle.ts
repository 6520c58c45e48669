import type { FastifyInstance } from 'fastify';

// Whether this instance is on its way out. Set the moment a stop signal arrives, before anything closes,
// so that /readyz turns 503 at once and a load balancer stops sending new requests here while the
// requests already sent are finished (platform/shutdown.ts).

export type Lifecycle = {
  readonly shuttingDown: boolean;
  beginShutdown: () => void;
};

export function createLifecycle(): Lifecycle {
  let shuttingDown = false;
  return {
    get shuttingDown() {
      return shuttingDown;
    },
    beginShutdown: () => {
      shuttingDown = true;
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    lifecycle: Lifecycle;
  }
}

export function registerLifecycle(app: FastifyInstance, lifecycle: Lifecycle = createLifecycle()): void {
  app.decorate('lifecycle', lifecycle);
  // Once stopping, every answer closes its connection: a proxy or browser holding it open would
  // otherwise send its next request down a connection that is about to close.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (lifecycle.shuttingDown) reply.header('connection', 'close');
    return payload;
  });
}
