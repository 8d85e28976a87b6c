import { isLoopback, openApiRefusal } from './open-api-check.js';

describe('isLoopback', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopback(host)).toBe(true);
  });
  it.each(['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'example.com', '128.0.0.1', '::ffff:10.0.0.1'])('%s is not', (host) => {
    expect(isLoopback(host)).toBe(false);
  });
});

describe('openApiRefusal', () => {
  it('refuses a non-loopback address with no key and no token, naming the ways out', () => {
    const refusal = openApiRefusal({ host: '0.0.0.0', authRequired: false, allowOpenApi: false });
    expect(refusal).toContain('refusing to listen on 0.0.0.0');
    expect(refusal).toContain('ALLOW_OPEN_API=true');
    expect(refusal).toContain('AUTH_TOKEN');
  });
  it('allows loopback, keys or a token, or an explicit ALLOW_OPEN_API', () => {
    expect(openApiRefusal({ host: '127.0.0.1', authRequired: false, allowOpenApi: false })).toBeNull();
    expect(openApiRefusal({ host: '0.0.0.0', authRequired: true, allowOpenApi: false })).toBeNull();
    expect(openApiRefusal({ host: '0.0.0.0', authRequired: false, allowOpenApi: true })).toBeNull();
  });
});
