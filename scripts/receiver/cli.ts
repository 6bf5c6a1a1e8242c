/**
 * Runs the reference receiver on its own:
 *   npm run receiver -- [--port 8787] [--data .output/receiver/reports.json] [--token SECRET]
 */
import { parseArgs } from 'node:util';
import { startReceiver } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    data: { type: 'string', default: '.output/receiver/reports.json' },
    token: { type: 'string' },
  },
});

const receiver = await startReceiver({
  port: Number(values.port),
  host: values.host,
  dataFile: values.data,
  ...(values.token ? { token: values.token } : {}),
});
console.log(`Flagline reference receiver listening.
  Endpoint:         ${receiver.endpoint}
  Received reports: ${receiver.url}/
  Demo page:        ${receiver.url}/demo
  Data file:        ${values.data}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void receiver.close().then(() => process.exit(0)));
}
