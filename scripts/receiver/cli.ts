/**
 * Runs the reference receiver on its own:
 *   npm run receiver -- [--port 8787] [--data .output/receiver/reports.json] [--token SECRET]
 *                       [--signing-secret whsec_…] [--no-cors] [--fault-rate 0.3 --seed 7]
 */
import { parseArgs } from 'node:util';
import { startReceiver } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    data: { type: 'string', default: '.output/receiver/reports.json' },
    token: { type: 'string' },
    'signing-secret': { type: 'string' },
    'no-cors': { type: 'boolean', default: false },
    /** Share of requests that get a 5xx, a reset or a 429 (each about a third of it). */
    'fault-rate': { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});

const receiver = await startReceiver({
  port: Number(values.port),
  host: values.host,
  dataFile: values.data,
  ...(values.token ? { token: values.token } : {}),
  ...(values['signing-secret'] ? { signingSecret: values['signing-secret'] } : {}),
  faults: {
    noCors: values['no-cors'],
    seed: Number(values.seed),
    ...(values['fault-rate']
      ? { error5xxRate: Number(values['fault-rate']) / 3, resetRate: Number(values['fault-rate']) / 3, throttleRate: Number(values['fault-rate']) / 3 }
      : {}),
  },
});
console.log(`Flagline reference receiver listening.
  Endpoint:         ${receiver.endpoint}
  Received reports: ${receiver.url}/
  Demo page:        ${receiver.url}/demo
  Data file:        ${values.data}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void receiver.close().then(() => process.exit(0)));
}
