// `npm start`: the Call API stand-in on 5000 and the scheduler (serving the dashboard) on 3000,
// on a SQLite file under ./data. Ctrl-C stops both; if either dies, the other is stopped too.
import { spawn } from 'node:child_process';

const env = { ...process.env };
const callApiPort = env.CALL_API_PORT ?? '5000';
const children = [
  start('call-api', ['dist/apps/call-api-mock/src/main.js'], { MOCK_PORT: callApiPort, MOCK_HOST: '127.0.0.1' }),
  start('scheduler', ['dist/apps/scheduler-api/src/main.js'], {
    CALL_API_URL: env.CALL_API_URL ?? `http://127.0.0.1:${callApiPort}`,
    DATABASE_URL: env.DATABASE_URL ?? 'sqlite:data/calls.db',
  }),
];

const port = env.PORT ?? '3000';
console.log(`
  Call Scheduler
    dashboard      http://localhost:${port}/
    API            http://localhost:${port}/api
    Swagger UI     http://localhost:${port}/api/docs
    health         http://localhost:${port}/health
    Call API mock  http://localhost:${callApiPort}/api/call
`);

let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 15_000).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(() => process.exit(code));
}

function start(name, args, extraEnv) {
  const child = spawn(process.execPath, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (stream, out) =>
    stream.on('data', (chunk) => {
      for (const line of String(chunk).split('\n')) if (line) out.write(`[${name}] ${line}\n`);
    });
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[${name}] exited (${signal ?? code}); stopping the rest`);
      stopAll(code || 1);
    }
  });
  return child;
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
