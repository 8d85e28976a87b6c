import { spawn } from 'node:child_process';
const mock = spawn(process.execPath, ['dist/apps/call-api-mock/src/main.js'], { env: { ...process.env, MOCK_PORT: '0', MOCK_TIME_SCALE: '0.01' }, stdio: ['ignore', 'pipe', 'inherit'] });
const mockUrl = await new Promise((r) => mock.stdout.on('data', (d) => { const m = /listening on (http:\S+)/.exec(String(d)); if (m) r(m[1]); }));
const port = 20000 + Math.floor(Math.random() * 20000);
const api = spawn(process.execPath, ['dist/apps/scheduler-api/src/main.js'], { env: { ...process.env, NODE_OPTIONS: '', PORT: String(port), DATABASE_URL: 'sqlite:/tmp/series-debug/calls.db', CALL_API_URL: mockUrl, SERIES_LEAD: '48h', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'inherit', 'inherit'] });
await new Promise((r) => setTimeout(r, 4000));
const base = `http://127.0.0.1:${port}/api`;
const res = await fetch(`${base}/series`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phoneNumber: '+14155550123', timezone: 'Asia/Tokyo', rrule: 'FREQ=DAILY', startsAt: new Date(Date.now() + 1500).toISOString(), count: 2 }) });
const s = await res.json(); console.log(res.status, s);
for (let i = 0; i < 5; i++) { await new Promise((r) => setTimeout(r, 1500)); console.log(JSON.stringify(await (await fetch(`${base}/series/${s.id}/occurrences`)).json())); }
api.kill(); mock.kill();
