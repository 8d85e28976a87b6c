import { startCallApiMock, type CallApiMockProcess } from './support/call-api-mock.process.js';

// The stand-in as its own process, over real HTTP: what the scheduler's e2e tests will rely on.
// Needs the build: `npx tsc -p tsconfig.build.json`.

describe('call-api-mock as a process', () => {
  let mock: CallApiMockProcess;

  beforeAll(async () => {
    mock = await startCallApiMock({ MOCK_TIME_SCALE: '0.01' });
  });

  afterAll(async () => {
    await mock?.stop();
  });

  it('prints its real port and answers /health', async () => {
    expect(mock.url).toBe(`http://127.0.0.1:${mock.port}`);
    expect(mock.port).toBeGreaterThan(0);
    const res = await fetch(`${mock.url}/health`);
    await expect(res.json()).resolves.toEqual({ status: 'healthy' });
  });

  it('places a call, follows it to completed and counts one dial', async () => {
    const created = await fetch(`${mock.url}/api/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone_number: '+14155550100' }),
    });
    expect(created.status).toBe(201);
    const { call } = (await created.json()) as { call: { id: string; status: string } };
    expect(call.status).toBe('initiated');

    await new Promise((resolve) => setTimeout(resolve, 150)); // 10 s × 0.01
    const res = await fetch(`${mock.url}/api/call/${call.id}`);
    expect(res.status).toBe(200);
    await expect(res.json()).resolves.toMatchObject({ success: true, call: { id: call.id, status: 'completed', duration: 10 } });
    await expect(mock.dials()).resolves.toEqual({ total: 1, byNumber: { '+14155550100': 1 }, maxPerSecond: 1 });
  });

  it('changes behaviour at run time and resets', async () => {
    await mock.configure({ failRate: 1 });
    const refused = await fetch(`${mock.url}/api/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone_number: '+14155550199' }),
    });
    expect(refused.status).toBe(503);
    await expect(mock.configure({ failRate: 7 })).rejects.toThrow(/failRate/);
    await mock.configure({ failRate: 0 });
    await mock.reset();
    await expect(mock.dials()).resolves.toEqual({ total: 0, byNumber: {}, maxPerSecond: 0 });
  });

  it('refuses to start with a bad option, naming it', async () => {
    await expect(startCallApiMock({ MOCK_OUTCOME: 'voicemail' })).rejects.toThrow(/MOCK_OUTCOME/);
  });

  it('stops on SIGTERM', async () => {
    const other = await startCallApiMock();
    await other.stop();
    await expect(fetch(`${other.url}/health`)).rejects.toThrow();
  });
});
