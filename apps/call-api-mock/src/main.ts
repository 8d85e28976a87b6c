import type { AddressInfo } from 'node:net';
import { createCallApiServer } from './call-api-server.js';
import { MockOptionsError, parseMockOptions, type MockOptions } from './mock-options.js';

// Entry point: `node dist/apps/call-api-mock/src/main.js`. The one stdout line is a contract with
// test/support/call-api-mock.process.ts, which waits for it to learn the (possibly ephemeral) port.

function readOptions(): MockOptions {
  try {
    return parseMockOptions(process.env);
  } catch (error) {
    if (!(error instanceof MockOptionsError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}

const options = readOptions();
const mock = createCallApiServer(options);

mock.server.on('error', (error) => {
  console.error(`call-api-mock: cannot listen on ${options.host}:${options.port}: ${error.message}`);
  process.exit(1);
});

mock.server.listen(options.port, options.host, () => {
  const { port } = mock.server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  process.stdout.write(`call-api-mock listening on http://${host}:${port}\n`);
});

let stopping = false;
function stop(signal: NodeJS.Signals): void {
  // A second signal means "now": do not wait for the first shutdown.
  if (stopping) process.exit(1);
  stopping = true;
  const force = setTimeout(() => {
    console.error(`call-api-mock: still closing 3 s after ${signal}, exiting anyway`);
    process.exit(1);
  }, 3000);
  force.unref();
  mock.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('call-api-mock: error while closing', error);
      process.exit(1);
    },
  );
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
