/** `npm run protocol:schema`: regenerates public/protocol/*.schema.json from the zod schemas. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { protocolSchemaFiles } from './schemas';

const dir = 'public/protocol';
await mkdir(dir, { recursive: true });
for (const [name, content] of Object.entries(protocolSchemaFiles())) {
  await writeFile(join(dir, name), content);
  console.log(`wrote ${join(dir, name)}`);
}
