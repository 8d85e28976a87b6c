import { Queue, Worker } from 'bullmq';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';

// The peer we measure against: what a team would otherwise write for "place this call at that time"
// — a plain node:http server that queue.add()s a delayed BullMQ job, and a Worker (concurrency 64)
// that POSTs it to the Call API when it falls due. Redis runs with appendonly yes / everysec, so an
// accepted job survives a crash as a user who must not lose jobs would run it. Run by
// bench/bullmq.bench.ts as its own process; GET /stats reports what the worker measured.

const port = Number(process.env.PORT ?? 0);
const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const callApi = new URL(process.env.CALL_API_URL ?? 'http://127.0.0.1:5000');
const connection = { host: redis.hostname, port: Number(redis.port), maxRetriesPerRequest: null };
const queue = new Queue('calls', { connection });
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
// Dial time minus the time the call was due, ms, per dialled job.
const lateness: number[] = [];

function dial(phoneNumber: string): Promise<number> {
  const body = JSON.stringify({ phone_number: phoneNumber });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: callApi.hostname,
        port: callApi.port,
        path: '/api/call',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const worker = new Worker<{ phoneNumber: string; scheduledAt: string }>(
  'calls',
  async (job) => {
    lateness.push(Date.now() - Date.parse(job.data.scheduledAt));
    const status = await dial(job.data.phoneNumber);
    if (status !== 201) throw new Error(`Call API answered ${status}`);
  },
  { connection, concurrency: 64 },
);
worker.on('error', (error) => console.error(`worker: ${error.message}`));

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') return send(res, 200, { dialled: lateness.length, lateness });
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, { status: 'ok' });
  if (req.method !== 'POST' || req.url !== '/api/calls') return send(res, 404, { error: 'not found' });
  readJson(req).then(
    async (body) => {
      const { phoneNumber, scheduledAt } = body as { phoneNumber?: unknown; scheduledAt?: unknown };
      if (typeof phoneNumber !== 'string' || typeof scheduledAt !== 'string' || Number.isNaN(Date.parse(scheduledAt))) {
        return send(res, 400, { error: 'phoneNumber and scheduledAt are required' });
      }
      const job = await queue.add('call', { phoneNumber, scheduledAt }, { delay: Math.max(0, Date.parse(scheduledAt) - Date.now()), removeOnComplete: true });
      send(res, 201, { id: job.id, phoneNumber, scheduledAt });
    },
    () => send(res, 400, { error: 'body is not JSON' }),
  );
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(`bullmq-peer listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    void Promise.all([worker.close(), queue.close()]).finally(() => process.exit(0));
  });
}
