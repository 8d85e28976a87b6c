import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MockBehaviour } from '../../apps/call-api-mock/src/mock-options.js';

/** The Call API stand-in running as its own process, for end-to-end tests. */
export interface CallApiMockProcess {
  /** e.g. http://127.0.0.1:41234 (what CALL_API_URL should be). */
  url: string;
  port: number;
  /** How many calls were placed, in total and per phone number. */
  dials(): Promise<{ total: number; byNumber: Record<string, number>; maxPerSecond: number }>;
  /** Changes behaviour at run time (POST /__mock/config); throws naming bad keys. */
  configure(patch: Partial<MockBehaviour>): Promise<void>;
  /** Forgets every call and counter. */
  reset(): Promise<void>;
  /** SIGTERM, then SIGKILL if it does not exit within 5 s. */
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../dist/apps/call-api-mock/src/main.js', import.meta.url));
const LISTENING = /^call-api-mock listening on (http:\/\/\S+?:(\d+))$/m;
const START_TIMEOUT_MS = 10_000;

/**
 * Spawns `node dist/apps/call-api-mock/src/main.js` (build it first: `npx tsc -p tsconfig.build.json`)
 * on an ephemeral port and resolves once it is listening. `env` adds MOCK_* options.
 */
export async function startCallApiMock(env: Record<string, string> = {}): Promise<CallApiMockProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first with \`npx tsc -p tsconfig.build.json\``);
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  // Jest's --experimental-vm-modules and the like are for the test process, not for the stand-in.
  delete childEnv.NODE_OPTIONS;
  Object.assign(childEnv, { MOCK_PORT: '0' }, env);

  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  // If the test process dies first, do not leave the stand-in behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let url: string;
  try {
    url = await waitForListening(child);
  } catch (error) {
    child.kill('SIGKILL');
    process.removeListener('exit', killOnExit);
    throw error;
  }
  const port = Number(new URL(url).port);

  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`call-api-mock ${method} ${path} answered ${res.status}: ${await res.text()}`);
    return res;
  };

  return {
    url,
    port,
    dials: async () => (await call('GET', '/__mock/dials')).json() as Promise<{ total: number; byNumber: Record<string, number>; maxPerSecond: number }>,
    configure: async (patch) => {
      await (await call('POST', '/__mock/config', patch)).arrayBuffer();
    },
    reset: async () => {
      await (await call('POST', '/__mock/reset')).arrayBuffer();
    },
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await stopChild(child);
    },
  };
}

function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`call-api-mock did not start: ${why}\nstdout: ${stdout}\nstderr: ${stderr}`));
    };
    const timer = setTimeout(() => fail(`no "listening" line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = LISTENING.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`exited with ${signal ?? `code ${code}`}`));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
