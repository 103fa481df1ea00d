// Writes the published JSON Schemas from the zod schemas in dist/ (run after tsc).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { z } = require('zod');
const { buildConfigSchema } = require(join(root, 'dist/config/schema.js'));
const { buildResultSchema } = require(join(root, 'dist/result/schema.js'));
const { runSummarySchema } = require(join(root, 'dist/result/run-summary-schema.js'));

export function jsonSchemas() {
  // Functions (hook functions) have no JSON form; the schema says "any" for them.
  const opts = { unrepresentable: 'any', io: 'input' };
  return {
    'build-config.schema.json': z.toJSONSchema(buildConfigSchema, opts),
    'build-result.schema.json': z.toJSONSchema(buildResultSchema, { ...opts, io: 'output' }),
    'run-summary.schema.json': z.toJSONSchema(runSummarySchema, { ...opts, io: 'output' }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(join(root, 'schemas'), { recursive: true });
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    writeFileSync(join(root, 'schemas', name), `${JSON.stringify(schema, null, 2)}\n`);
  }
}
