/**
 * The layer rules of .dependency-cruiser.cjs (docs/architecture.md "Layers") hold for the code, and
 * they do catch what they are for: an upward import and an import cycle fail with the rule's name.
 * Runs dependency-cruiser's own CLI (the package is ESM-only, Jest runs CommonJS).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const LAYERS = ['core', 'tenants', 'constructs', 'policies', 'simulate', 'infra', 'cli', 'bench'];

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

function cruise(cwd: string, dirs: readonly string[]): { violations: Violation[]; modules: number } {
  const run = spawnSync(process.execPath, [CLI, ...dirs, '--config', CONFIG, '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status === null || run.stdout === '') throw new Error(`dependency-cruiser did not run: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as { summary: { violations: Violation[]; totalCruised: number } };
  return { violations: result.summary.violations, modules: result.summary.totalCruised };
}

function describeViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).join('\n');
}

test('the code has no upward import and no cycle (zero violations, zero exceptions)', () => {
  const { violations, modules } = cruise(ROOT, LAYERS);
  expect(modules).toBeGreaterThan(200);
  expect(describeViolations(violations)).toBe('');
});

describe('the rules fail a new upward import or cycle, naming the rule', () => {
  let dir: string;
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'layers-'));
    write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }));
    write('core/quantity.ts', 'export const MI = 2 ** 20;\n');
    write('constructs/tenant-entry.ts', "import { MI } from '../core/quantity';\nexport const ENTRY = MI;\n");
    // upward: the input model reaching into the constructs
    write('tenants/bad-rule.ts', "import { ENTRY } from '../constructs/tenant-entry';\nexport const X = ENTRY;\n");
    // a type-only upward import counts too
    write('simulate/bad-stack.ts', "import type { StackConfig } from '../infra/config';\nexport type S = StackConfig;\n");
    write('infra/config.ts', "import { MI } from '../core/quantity';\nexport type StackConfig = { memory: typeof MI };\n");
    // a cycle inside one layer
    write('cli/a.ts', "import { b } from './b';\nexport const a = () => b;\n");
    write('cli/b.ts', "import { a } from './a';\nexport const b = () => a;\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('each violation is reported with its rule name; the downward imports are not', () => {
    const { violations } = cruise(dir, ['core', 'tenants', 'constructs', 'simulate', 'infra', 'cli']);
    const found = violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
    expect(found).toEqual([
      'no-cycles: cli/a.ts → cli/b.ts',
      'simulate-does-not-import-policies-infra-cli: simulate/bad-stack.ts → infra/config.ts',
      'tenants-import-only-core: tenants/bad-rule.ts → constructs/tenant-entry.ts',
    ]);
  });
});
