import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(__dirname, '../..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(repo, file), 'utf8'));
/** executors.json points at dist/; the sources that compile there live under src/. */
const sourceOf = (distPath: string, ext: string) => path.join(repo, distPath.replace(/^\.\/dist\//, 'src/') + ext);

interface SchemaProperty {
  type?: string;
  description?: string;
  enum?: unknown[];
  'x-prompt'?: unknown;
  items?: { enum?: unknown[] };
  'x-completion-type'?: string;
}

function checkSchema(schemaPath: string) {
  const file = sourceOf(schemaPath, '');
  expect(fs.existsSync(file), `${schemaPath} has no source at ${file}`).toBe(true);
  const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    description?: string;
    properties: Record<string, SchemaProperty>;
    required?: string[];
    examples?: Array<{ command: string; description?: string }>;
  };
  expect(schema.description, `${schemaPath} needs a description for Nx Console`).toBeTruthy();
  // `nx g … --help` and `nx run … --help` print these.
  expect(schema.examples?.length, `${schemaPath} needs examples`).toBeGreaterThan(0);
  for (const example of schema.examples ?? []) {
    expect(example.command).toMatch(/^nx /);
    expect(example.description, `${schemaPath}: ${example.command} has no description`).toBeTruthy();
  }
  for (const [name, prop] of Object.entries(schema.properties)) {
    expect(prop.description, `${schemaPath}: ${name} has no description`).toBeTruthy();
    expect(prop.type, `${schemaPath}: ${name} has no type`).toBeTruthy();
    // A path option gets Nx Console's file picker.
    if (/\b(path|file)\b/i.test(prop.description ?? '') && prop.type === 'string') {
      expect(prop['x-completion-type'], `${schemaPath}: ${name} is a path`).toMatch(/^(file|directory)$/);
    }
  }
  return schema;
}

describe('executors.json', () => {
  const { executors } = readJson('executors.json');

  it('declares build (batched by default) and clean, each with an implementation and a schema', () => {
    expect(Object.keys(executors).sort()).toEqual(['build', 'clean']);
    expect(executors.build.preferBatch).toBe(true);
    expect(fs.existsSync(sourceOf(executors.build.batchImplementation, '.ts'))).toBe(true);
    for (const entry of Object.values(executors) as Array<{ implementation: string; schema: string; description: string }>) {
      expect(fs.existsSync(sourceOf(entry.implementation, '.ts')), entry.implementation).toBe(true);
      expect(entry.description).toBeTruthy();
      checkSchema(entry.schema);
    }
  });

  it('is what package.json points Nx at', () => {
    const pkg = readJson('package.json');
    expect(pkg.executors).toBe('./executors.json');
    expect(pkg.generators).toBe('./generators.json');
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'executors.json', 'generators.json', 'schemas']));
  });
});

describe('generators.json', () => {
  const { generators } = readJson('generators.json');

  it('has init, configuration, convert and the sync generator with schemas Nx Console can render', () => {
    expect(Object.keys(generators).sort()).toEqual(['configuration', 'convert', 'init', 'sync-package-json']);
    for (const [name, entry] of Object.entries(generators) as Array<[string, { factory: string; schema: string; description: string }]>) {
      expect(fs.existsSync(sourceOf(entry.factory, '.ts')), entry.factory).toBe(true);
      expect(entry.description).toBeTruthy();
      const schema = checkSchema(entry.schema);
      // Every required option can be asked for in a terminal and picked from argv.
      for (const required of schema.required ?? []) {
        expect(schema.properties[required]['x-prompt'], `${name}: ${required} needs an x-prompt`).toBeTruthy();
      }
    }
  });

  it('offers the builders and formats as enums, so Nx Console shows pickers', () => {
    const schema = readJson('src/nx/generators/configuration/schema.json');
    expect(schema.properties.builder.enum).toEqual(['auto', 'esbuild', 'bun', 'tsc', 'rollup', 'rolldown', 'custom']);
    expect(schema.properties.formats.items.enum).toEqual(['esm', 'cjs', 'iife']);
    expect(schema.properties.project['x-priority']).toBe('important');
  });
});
