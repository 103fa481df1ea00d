import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { EntryPointRecord } from '../../result/schema';
import { entryLeaves, exportsSubpaths, pickTarget, shadowedTypes, type EntryLeaf, type PackageJsonFields } from './entry-points';
import { jsonValuePositions, type JsonPath } from './json-positions';
import { isFound, locate, locatePattern, nearestPackageType, onDiskPath, walkFiles, type ContractLayout, type NotFound } from './locate';
import { FORMAT_NAME, formatByContent, formatByName, isDeclaration, isJavaScript, siblingDeclaration, type ModuleFormat } from './module-format';

/**
 * The package contract, checked in staging before the swap: every package.json entry point must
 * resolve to a file this build produced (under outDir) or one the package ships (outside it), in
 * the format its condition expects. Hand-written rather than publint: publint checks a package
 * folder (or a packed file list it is handed, contents included), so checking staging before the
 * swap would mean copying the package into a virtual tarball; it does not say which files resolve
 * where (the result's entryPoints) or what was built instead; and it brings a CLI and a packer.
 * The rules follow publint's and are-the-types-wrong's (no network, no npm pack).
 */

export interface ContractInput extends ContractLayout {
  workspaceRoot: string;
}

export interface ContractViolation {
  /** The package.json field, e.g. `exports["./utils"].import`; absent for the file as a whole. */
  field?: string;
  message: string;
  hint: string;
  /** Where the field's value starts in package.json (1-based), when it could be found. */
  line?: number;
  column?: number;
}

export interface ContractReport {
  /** false: the package has no package.json, so nothing was checked. */
  checked: boolean;
  violations: ContractViolation[];
  entryPoints: EntryPointRecord[];
}

const ESM_CONDITIONS = new Set(['import', 'module', 'module-sync']);

export async function checkPackageContract(input: ContractInput): Promise<ContractReport> {
  // A package inside outDir (a package.json the build writes there) is read from staging.
  const file = onDiskPath(input, join(input.packageRoot, 'package.json'));
  if (!existsSync(file)) return { checked: false, violations: [], entryPoints: [] };
  let pkg: PackageJsonFields;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
    pkg = JSON.parse(text) as PackageJsonFields;
  } catch (e) {
    return { checked: true, entryPoints: [], violations: [{ message: `package.json is not valid JSON: ${(e as Error).message}`, hint: 'Fix the JSON syntax; Node and npm cannot read this package.' }] };
  }
  const ctx = new Checker(input, jsonValuePositions(text));
  const { leaves, problems } = entryLeaves(pkg);
  for (const p of problems) ctx.violation(p, `${p.field} ${p.message}.`, 'See https://nodejs.org/api/packages.html for the shape of each field.');
  for (const leaf of leaves) await ctx.checkLeaf(leaf);
  ctx.checkTypesFormats(pkg);
  if (pkg.exports !== undefined) {
    for (const t of shadowedTypes(pkg.exports)) {
      // Harmless when TypeScript finds the declaration beside the JS it picks instead.
      if (typeof t.afterValue === 'string' && isJavaScript(t.afterValue) && isFound(locate(input, siblingDeclaration(t.afterValue)))) continue;
      ctx.violation(
        t,
        `${t.field} comes after "${t.after}": TypeScript takes the first condition that matches, so under "${t.after}" it never reads this declaration.`,
        'Put "types" first in its conditions object (before import, require, node and default).',
      );
    }
  }
  return { checked: true, violations: ctx.violations, entryPoints: ctx.entryPoints };
}

class Checker {
  readonly violations: ContractViolation[] = [];
  readonly entryPoints: EntryPointRecord[] = [];
  private readonly types = new Map<string, string | undefined>();
  private readonly contentChecked = new Set<string>();
  private built?: string[];

  constructor(
    private readonly input: ContractInput,
    private readonly position: ReturnType<typeof jsonValuePositions>,
  ) {}

  violation(at: { field: string; path: JsonPath }, message: string, hint: string): void {
    this.violations.push({ field: at.field, message, hint, ...this.position(at.path) });
  }

  async checkLeaf(leaf: EntryLeaf): Promise<void> {
    if (leaf.source === 'exports' && leaf.target.includes('*')) return this.checkPattern(leaf);
    const located = locate(this.input, leaf.target, { exportsTarget: leaf.source === 'exports', legacyMain: leaf.source === 'main' });
    if (!isFound(located)) return this.unresolved(leaf, located);
    const format = this.formatOf(located.file);
    this.entryPoints.push({ field: leaf.field, path: this.rel(located.file), resolvedAs: located.kind, ...(format ? { format } : {}) });
    // Any bin file, with or without an extension, is run as a command.
    if (leaf.source === 'bin') await this.checkShebang(leaf, located.onDisk);
    if (!isJavaScript(located.file)) return;
    const expected = expectedFormat(leaf);
    if (expected && format && expected !== format) {
      this.wrongConditionFormat(leaf, expected, format, located.file);
      return;
    }
    await this.checkContent(leaf, located.file, located.onDisk, format);
  }

  /**
   * Each types declaration (a `types` condition, or the sibling declaration TypeScript picks for a
   * JS target) must describe the format of the JS that the same conditions load, under `import`
   * and under `require`: otherwise TypeScript checks consumers against the wrong module kind
   * (are-the-types-wrong's "masquerading as ESM/CJS"). Without `exports`, `types` pairs with `main`.
   */
  checkTypesFormats(pkg: PackageJsonFields): void {
    const reported = new Set<string>();
    for (const pair of typesPairs(pkg)) {
      const declaration = locate(this.input, pair.declaration);
      const js = locate(this.input, pair.js, { legacyMain: !pair.mode });
      if (!isFound(declaration) || !isFound(js)) continue;
      if (!isDeclaration(declaration.file) || !isJavaScript(js.file)) continue;
      const described = this.formatOf(declaration.file);
      const loaded = this.formatOf(js.file);
      const key = `${pair.field}\0${js.file}`;
      if (!described || !loaded || described === loaded || reported.has(key)) continue;
      reported.add(key);
      const sibling = siblingDeclaration(this.packageRel(js.file));
      this.violation(
        pair,
        `${pair.field}: ${this.packageRel(declaration.file)} describes ${FORMAT_NAME[described]} (${this.formatReason(declaration.file)}), but ${pair.mode ? `under "${pair.mode}" the same conditions load` : 'main is'} ${this.packageRel(js.file)}, which is ${FORMAT_NAME[loaded]}: TypeScript would type-check ${pair.mode ?? 'its'} consumers against the wrong module format (masquerading as ${FORMAT_NAME[described]}).`,
        `Give each format its own declaration beside its JS (${sibling} beside ${this.packageRel(js.file)}) and point the types at it${pair.mode ? `, e.g. "${pair.mode}": { "types": "./${sibling}", "default": "./${this.packageRel(js.file)}" }` : ''}.`,
      );
    }
  }

  private checkPattern(leaf: EntryLeaf): void {
    const found = locatePattern(this.input, leaf.target);
    if (!('matches' in found)) return this.unresolved(leaf, found);
    if (found.matches.length === 0) {
      this.violation(
        leaf,
        `${leaf.field}: the pattern ${leaf.target} matches no file${found.kind === 'built' ? ` this build produced${this.builtList(leaf)}` : ' in the package'}.`,
        'A subpath pattern must match at least one file: fix the pattern, or the build that should write the files.',
      );
      return;
    }
    const formats = new Set(found.matches.map((m) => this.formatOf(m.file)));
    const format = formats.size === 1 ? [...formats][0] : undefined;
    this.entryPoints.push({ field: leaf.field, path: this.rel(join(this.input.packageRoot, leaf.target)), resolvedAs: found.kind, ...(format ? { format } : {}) });
    const expected = expectedFormat(leaf);
    const wrong = expected && found.matches.find((m) => isJavaScript(m.file) && this.formatOf(m.file) && this.formatOf(m.file) !== expected);
    if (expected && wrong) this.wrongConditionFormat(leaf, expected, this.formatOf(wrong.file)!, wrong.file);
  }

  private unresolved(leaf: EntryLeaf, located: NotFound): void {
    const at = `${leaf.field}: ${leaf.target}`;
    if (located.kind === 'invalid') {
      this.violation(leaf, `${leaf.field}: ${located.reason}.`, 'Write exports targets as package-relative paths ("./dist/index.js").');
    } else if (located.kind === 'outside') {
      this.violation(leaf, `${at} points outside the package.`, 'Entry points must be files inside the package folder: that is all npm publishes and all Node resolves.');
    } else if (located.kind === 'missing') {
      this.violation(
        leaf,
        `${at} does not exist. It is outside outDir (${this.packageRel(this.input.outDir)}), so it must be a file the package ships.`,
        `Fix the path, or add the file; if the build should write it, point ${leaf.field} into ${this.packageRel(this.input.outDir)}.`,
      );
    } else {
      const declaration = isTypesLeaf(leaf);
      const none = declaration && this.builtFiles().every((f) => !isDeclaration(f));
      this.violation(
        leaf,
        `${at} was not produced by this build${this.builtList(leaf)}.`,
        none
          ? `The build wrote no declarations: set \`dts: true\` in build.config.ts, or remove ${leaf.field} from package.json.`
          : `Point ${leaf.field} at a file the build writes, or change the build (entry, formats, dts, outDir in build.config.ts) so that it writes ${this.packageRel(located.file)}.`,
      );
    }
  }

  private wrongConditionFormat(leaf: EntryLeaf, expected: ModuleFormat, actual: ModuleFormat, file: string): void {
    const condition = [...leaf.conditions].reverse().find((c) => c === 'require' || ESM_CONDITIONS.has(c)) ?? leaf.source;
    this.violation(
      leaf,
      `${leaf.field}: "${condition}" expects ${FORMAT_NAME[expected]}, but ${this.packageRel(file)} is ${FORMAT_NAME[actual]} (${this.formatReason(file)}).`,
      `Point it at the ${FORMAT_NAME[expected]} output: add '${expected}' to \`formats\` in build.config.ts; in ${this.packageType(file) === 'module' ? 'this "type": "module"' : 'this CommonJS'} package it is written as ${expected === 'esm' ? (this.packageType(file) === 'module' ? '.js' : '.mjs') : this.packageType(file) === 'module' ? '.cjs' : '.js'}.`,
    );
  }

  private async checkShebang(leaf: EntryLeaf, onDisk: string): Promise<void> {
    const handle = await open(onDisk, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
      if (bytesRead === 2 && buffer.toString('latin1') === '#!') return;
    } finally {
      await handle.close();
    }
    this.violation(
      leaf,
      `${leaf.field}: ${leaf.target} has no "#!" line, so the command npm links for it cannot be run.`,
      'Start the file with `#!/usr/bin/env node` (with esbuild: `builderOptions: { banner: { js: "#!/usr/bin/env node" } }`, or a first line in the entry source).',
    );
  }

  /** A JS file must hold the format Node will read it as (checked once per file). */
  private async checkContent(leaf: EntryLeaf, file: string, onDisk: string, declared: ModuleFormat | undefined): Promise<void> {
    if (!declared || this.contentChecked.has(file)) return;
    this.contentChecked.add(file);
    const content = await formatByContent(onDisk);
    if (!content || content === declared) return;
    this.violation(
      leaf,
      `${leaf.field}: Node reads ${this.packageRel(file)} as ${FORMAT_NAME[declared]} (${this.formatReason(file)}), but its code is ${FORMAT_NAME[content]} (${content === 'esm' ? 'import/export' : 'module.exports/require'}).`,
      `Give the file the extension of its format (${content === 'esm' ? '.mjs' : '.cjs'}), or make the nearest package.json "type" match what the build writes.`,
    );
  }

  private formatOf(file: string): ModuleFormat | undefined {
    return formatByName(file, this.packageType(file));
  }

  private packageType(file: string): 'module' | 'commonjs' {
    return nearestPackageType(this.input, file, this.types).type;
  }

  private formatReason(file: string): string {
    const ext = /\.d\.[cm]?ts$|\.[cm]?js$/.exec(file)?.[0] ?? '';
    if (/[cm][jt]s$/.test(ext)) return `the ${ext} extension`;
    const { type, packageJson } = nearestPackageType(this.input, file, this.types);
    return `a ${ext} file under ${this.packageRel(packageJson)}${type === 'module' ? ' with "type": "module"' : ' without "type": "module"'}`;
  }

  /** ", which wrote dist/index.js, dist/index.cjs": the files of the leaf's kind this build wrote. */
  private builtList(leaf: EntryLeaf): string {
    const files = this.builtFiles();
    const declaration = isTypesLeaf(leaf);
    const sameKind = files.filter((f) => (declaration ? isDeclaration(f) : isJavaScript(f)));
    const code = files.filter((f) => isJavaScript(f) || isDeclaration(f));
    const shown = sameKind.length ? sameKind : code.length ? code : files.filter((f) => !f.endsWith('.map'));
    if (shown.length === 0) return ', which wrote no files';
    const list = `${shown.slice(0, 8).join(', ')}${shown.length > 8 ? ` and ${shown.length - 8} more` : ''}`;
    return sameKind.length ? `; it built ${list}` : `; it built no ${declaration ? 'declarations' : 'JavaScript'}, only ${list}`;
  }

  /** Package-relative paths of everything in staging, as they will be named after the swap. */
  private builtFiles(): string[] {
    this.built ??= walkFiles(this.input.stagingDir).map((f) => this.packageRel(join(this.input.outDir, relative(this.input.stagingDir, f))));
    return this.built;
  }

  private packageRel(file: string): string {
    return relative(this.input.packageRoot, file).split(sep).join('/');
  }

  private rel(file: string): string {
    return relative(this.input.workspaceRoot, file).split(sep).join('/');
  }
}

interface TypesPair {
  /** The field whose declaration it is (a types condition, or the JS target TypeScript picks). */
  field: string;
  path: JsonPath;
  declaration: string;
  js: string;
  mode?: 'import' | 'require';
}

/**
 * What TypeScript reads against what Node loads: per exports subpath and per mode, the target
 * picked with the `types` condition (or the declaration beside a picked JS file) and the JS
 * picked without it. Custom conditions are not applied: the view of a consumer outside.
 */
function typesPairs(pkg: PackageJsonFields): TypesPair[] {
  const pairs: TypesPair[] = [];
  if (pkg.exports === undefined) {
    const field = typeof pkg.types === 'string' ? 'types' : typeof pkg.typings === 'string' ? 'typings' : undefined;
    if (field && typeof pkg.main === 'string') pairs.push({ field, path: [field], declaration: pkg[field] as string, js: pkg.main });
    return pairs;
  }
  for (const { value, field, path } of exportsSubpaths(pkg.exports).subpaths) {
    for (const mode of ['import', 'require'] as const) {
      const js = pickTarget(value, new Set(['node', mode]), field, path);
      const types = pickTarget(value, new Set(['types', 'node', mode]), field, path);
      if (!js || !types || js.target.includes('*')) continue;
      const declaration = isJavaScript(types.target) ? siblingDeclaration(types.target) : types.target;
      pairs.push({ field: types.field, path: types.path, declaration, js: js.target, mode });
    }
  }
  return pairs;
}

/** ESM under import/module conditions (and the `module` field), CommonJS under require. */
function expectedFormat(leaf: EntryLeaf): ModuleFormat | undefined {
  if (leaf.source === 'module') return 'esm';
  if (leaf.conditions.some((c) => c.startsWith('types'))) return undefined;
  const esm = leaf.conditions.some((c) => ESM_CONDITIONS.has(c));
  const cjs = leaf.conditions.includes('require');
  return esm === cjs ? undefined : esm ? 'esm' : 'cjs';
}

function isTypesLeaf(leaf: EntryLeaf): boolean {
  return leaf.source === 'types' || leaf.source === 'typings' || leaf.conditions.some((c) => c === 'types' || c.startsWith('types@')) || isDeclaration(leaf.target);
}

