import type { ServerResponse } from 'node:http';

// Responses held back on purpose (latency, hang). They keep their sockets busy, so server.close()
// would wait for them for ever: dropAll() lets shutdown destroy them instead.
export class ParkedResponses {
  private readonly parked = new Map<ServerResponse, NodeJS.Timeout | null>();

  /** Resolves after `ms`, even if the client has left (the request did reach the provider). */
  delay(res: ServerResponse, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.parked.delete(res);
        resolve();
      }, ms);
      this.parked.set(res, timer);
    });
  }

  /** Never answers: the socket stays open until the client gives up or the server shuts down. */
  hang(res: ServerResponse): void {
    this.parked.set(res, null);
    res.once('close', () => this.parked.delete(res));
  }

  get size(): number {
    return this.parked.size;
  }

  dropAll(): void {
    for (const [res, timer] of this.parked) {
      if (timer !== null) clearTimeout(timer);
      res.destroy();
    }
    this.parked.clear();
  }
}
