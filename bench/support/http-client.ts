import { Agent, request } from 'node:http';

// node:http with keep-alive rather than fetch: on a small machine the client shares the CPU with
// the service it measures, and fetch costs several times more per request.

export interface JsonResponse<T> {
  status: number;
  body: T;
}

export class HttpClient {
  private readonly agent: Agent;

  constructor(
    private readonly baseUrl: string,
    maxSockets = 64,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  post<T>(path: string, body: unknown): Promise<JsonResponse<T>> {
    return this.send<T>('POST', path, JSON.stringify(body));
  }

  get<T>(path: string, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
    return this.send<T>('GET', path, undefined, headers);
  }

  /** GET returning the raw text (NDJSON). */
  text(path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
    return this.raw('GET', path, undefined, headers);
  }

  close(): void {
    this.agent.destroy();
  }

  private async send<T>(method: string, path: string, data?: string, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
    const { status, text } = await this.raw(method, path, data, headers);
    let body: T;
    try {
      body = (text ? JSON.parse(text) : null) as T;
    } catch {
      throw new Error(`${method} ${path} answered ${status} with non-JSON: ${text.slice(0, 200)}`);
    }
    return { status, body };
  }

  private raw(method: string, path: string, data: string | undefined, headers: Record<string, string>): Promise<{ status: number; text: string }> {
    const url = new URL(path, this.baseUrl);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          agent: this.agent,
          headers: {
            ...headers,
            ...(data === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  }
}
