import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The reference docs and the published JSON Schemas are generated from the code they describe.
 * These tests regenerate them in memory and compare with what is committed, so a schema or
 * error-code change without `node scripts/build.mjs && node scripts/gen-docs.mjs` fails here.
 */
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const requireFromRepo = createRequire(join(repo, 'package.json'));
const read = (rel: string) => readFileSync(join(repo, rel), 'utf8');

interface OptionRow {
  path: string;
  default?: { value: unknown; from: 'meta' | 'DEFAULTS' };
}
interface GenDocs {
  generatedDocs(): Record<string, string>;
  configOptionRows(): OptionRow[];
  optionRows(schema: unknown): OptionRow[];
}
interface WriteSchemas {
  jsonSchemas(): Record<string, unknown>;
}

let genDocs: GenDocs;
let writeSchemas: WriteSchemas;

beforeAll(async () => {
  // The generators read dist/; the e2e setup and `prepare` build it, but a fresh checkout may not have.
  if (!existsSync(join(repo, 'dist/index.js'))) {
    execFileSync(process.execPath, [join(repo, 'scripts/build.mjs')], { cwd: repo, stdio: 'inherit' });
  }
  // Imported only now: both scripts load dist/ when they are imported.
  genDocs = (await import('../../scripts/gen-docs.mjs')) as GenDocs;
  writeSchemas = (await import('../../scripts/write-schemas.mjs')) as WriteSchemas;
}, 300_000);

const REGENERATE = 'stale: run `node scripts/build.mjs && node scripts/gen-docs.mjs`';

describe('generated reference docs', () => {
  it('docs/config.md and docs/errors.md are what scripts/gen-docs.mjs generates now', () => {
    const docs = genDocs.generatedDocs();
    expect(Object.keys(docs).sort()).toEqual(['docs/config.md', 'docs/errors.md']);
    for (const [path, text] of Object.entries(docs)) {
      expect(existsSync(join(repo, path)), `${path} is missing: run \`node scripts/gen-docs.mjs\``).toBe(true);
      expect(read(path), `${path} is ${REGENERATE}`).toBe(text);
    }
  });

  it('schemas/*.schema.json are what scripts/write-schemas.mjs generates now, and nothing else', () => {
    const schemas = writeSchemas.jsonSchemas();
    const onDisk = readdirSync(join(repo, 'schemas')).filter((f) => f.endsWith('.json'));
    expect(onDisk.sort()).toEqual(Object.keys(schemas).sort());
    for (const [name, schema] of Object.entries(schemas)) {
      expect(read(`schemas/${name}`), `schemas/${name} is ${REGENERATE}`).toBe(`${JSON.stringify(schema, null, 2)}\n`);
    }
  });

  it('every documented default is the default the resolver applies', () => {
    const { DEFAULTS } = requireFromRepo('./dist/config/schema.js') as { DEFAULTS: Record<string, unknown> };
    const topLevelWithMetaDefault = genDocs.configOptionRows().filter((r) => !r.path.includes('.') && r.default?.from === 'meta');
    expect(topLevelWithMetaDefault.length).toBeGreaterThan(0);
    for (const row of topLevelWithMetaDefault) {
      expect(row.default?.value, `default of "${row.path}" in .meta() vs DEFAULTS`).toEqual(DEFAULTS[row.path]);
    }
  });

  it('the example in docs/config.md is a valid build config', async () => {
    const { loadBuildConfig, validateBuildConfig } = requireFromRepo('./dist/index.js');
    const loaded = await loadBuildConfig(join(repo, 'docs/templates/build.config.example.ts'));
    expect(() => validateBuildConfig(loaded.raw, 'docs/templates/build.config.example.ts')).not.toThrow();
  });
});

describe('hand-written docs', () => {
  it('docs/results.md describes every BuildResult field', () => {
    const { buildResultSchema } = requireFromRepo('./dist/result/schema.js');
    const spans = [...read('docs/results.md').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
    const fields = genDocs.optionRows(buildResultSchema).map((r) => r.path);
    const missing = fields.filter((f) => !spans.some((s) => s === f || s.startsWith(`${f}.`) || s.startsWith(`${f}[`)));
    expect(missing, 'BuildResult fields not described in docs/results.md').toEqual([]);
  });

  it('relative links and anchors in the docs point at something that exists', () => {
    const docs = ['config.md', 'errors.md', 'results.md', 'quickstart.md', 'architecture.md'];
    const broken: string[] = [];
    for (const doc of docs) {
      for (const [, target] of read(`docs/${doc}`).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [file, anchor] = target.split('#');
        const path = file ? join(repo, 'docs', file) : join(repo, 'docs', doc);
        if (!existsSync(path)) broken.push(`${doc} → ${target}`);
        else if (anchor && path.endsWith('.md') && !headingAnchors(readFileSync(path, 'utf8')).has(anchor)) broken.push(`${doc} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

/** GitHub-style heading anchors: lower case, punctuation dropped, spaces as dashes. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, heading] of markdown.matchAll(/^#{1,6} +(.+)$/gm)) {
    anchors.add(
      heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
  }
  return anchors;
}
