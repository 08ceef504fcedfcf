import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSynth } from '../../cli/commands/synth';
import { schemaText } from '../../cli/commands/schema';
import { captureOutput } from './capture-output';
import { EXAMPLE_TENANTS } from '../example-project';

function tenantsFile(dir: string, body: string): string {
  const file = join(dir, 'tenants.yaml');
  writeFileSync(file, body);
  return file;
}

const base = readFileSync(EXAMPLE_TENANTS, 'utf8');

describe('tenantscale synth', () => {
  test('writes one file per tenant and prints a summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-'));
    const out = captureOutput();
    expect(await runSynth({ tenants: EXAMPLE_TENANTS, out: join(dir, 'dist') }, out)).toBe(0);
    expect(readdirSync(join(dir, 'dist', 'tenants')).sort()).toEqual(['ahmed.yaml', 'embeddings.yaml', 'fatima.yaml', 'invoices.yaml', 'nightly-report.yaml', 'openclaw.yaml']);
    expect(readdirSync(join(dir, 'dist', 'platform'))).toEqual(['platform.yaml']);
    expect(out.stdout[0]).toMatch(/^✓ synthesized 6 tenants, 109 objects → /);
    // 7 tenant policies + 17 platform ones (docs/platform-isolation.md).
    expect(out.stdout.join('\n')).toContain('NetworkPolicy               24');
    expect(out.stdout.join('\n')).toContain('GatewayClass                 1');
    expect(out.stdout.join('\n')).toContain('InterceptorRoute             3');
    expect(out.stdout.join('\n')).toContain('ScaledObject                 5');
    expect(out.stdout.join('\n')).toContain('HorizontalPodAutoscaler      1');
    expect(out.stdout.join('\n')).toContain('PodMonitor                   3');
  });

  test('a second run is byte-identical', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-'));
    const quiet = captureOutput();
    await runSynth({ tenants: EXAMPLE_TENANTS, out: join(dir, 'a') }, quiet);
    await runSynth({ tenants: EXAMPLE_TENANTS, out: join(dir, 'b') }, quiet);
    for (const f of ['ahmed.yaml', 'fatima.yaml', 'openclaw.yaml']) {
      expect(readFileSync(join(dir, 'b', 'tenants', f), 'utf8')).toBe(readFileSync(join(dir, 'a', 'tenants', f), 'utf8'));
    }
  });

  test('--kustomize lists every file; a later run without it removes that file; a hand-written one is refused, never replaced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-'));
    const outDir = join(dir, 'dist');
    await runSynth({ tenants: EXAMPLE_TENANTS, out: outDir, kustomize: true }, captureOutput());
    const k = readFileSync(join(outDir, 'kustomization.yaml'), 'utf8');
    expect(k).toContain('kind: Kustomization');
    expect(k.split('\n').filter((l) => l.startsWith('  - '))).toEqual([
      '  - platform/platform.yaml',
      '  - tenants/ahmed.yaml',
      '  - tenants/embeddings.yaml',
      '  - tenants/fatima.yaml',
      '  - tenants/invoices.yaml',
      '  - tenants/nightly-report.yaml',
      '  - tenants/openclaw.yaml',
    ]);
    await runSynth({ tenants: EXAMPLE_TENANTS, out: outDir }, captureOutput());
    expect(existsSync(join(outDir, 'kustomization.yaml'))).toBe(false);
    writeFileSync(join(outDir, 'kustomization.yaml'), 'resources: [tenants/ahmed.yaml]\n');
    const refused = captureOutput();
    expect(await runSynth({ tenants: EXAMPLE_TENANTS, out: outDir, kustomize: true }, refused)).toBe(1);
    expect(refused.stderr.join('\n')).toContain('  kustomization.yaml');
    expect(readFileSync(join(outDir, 'kustomization.yaml'), 'utf8')).toBe('resources: [tenants/ahmed.yaml]\n');
  });

  test('a removed tenant disappears from the output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-'));
    const outDir = join(dir, 'dist');
    await runSynth({ tenants: EXAMPLE_TENANTS, out: outDir }, captureOutput());
    const without = base.replace(/  - name: fatima[\s\S]*?(?=\n  # A stateful)/, '');
    expect(without).not.toContain('name: fatima');
    expect(await runSynth({ tenants: tenantsFile(dir, without), out: outDir }, captureOutput())).toBe(0);
    expect(readdirSync(join(outDir, 'tenants')).sort()).toEqual(['ahmed.yaml', 'embeddings.yaml', 'invoices.yaml', 'nightly-report.yaml', 'openclaw.yaml']);
  });

  test('on any error: exit 1, every problem printed, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-'));
    const bad = base.replace('max: 3', 'max: 0').replace('name: fatima', 'name: Fatima');
    const out = captureOutput();
    const outDir = join(dir, 'dist');
    expect(await runSynth({ tenants: tenantsFile(dir, bad), out: outDir }, out)).toBe(1);
    expect(existsSync(outDir)).toBe(false);
    const text = out.stderr.join('\n');
    expect(text).toContain('2 problems; nothing was written');
    expect(text).toContain('defaults scaling.max (line 19, column 10) = 0: too small');
    expect(text).toContain('tenant "Fatima" name (line 40, column 11) = "Fatima": malformed value');
    expect(text).toContain('fix:');
  });

  test('on error the previous output stays as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-'));
    const outDir = join(dir, 'dist');
    await runSynth({ tenants: EXAMPLE_TENANTS, out: outDir }, captureOutput());
    const before = readFileSync(join(outDir, 'tenants', 'ahmed.yaml'), 'utf8');
    expect(await runSynth({ tenants: tenantsFile(dir, 'tenants: [\n'), out: outDir }, captureOutput())).toBe(1);
    expect(readFileSync(join(outDir, 'tenants', 'ahmed.yaml'), 'utf8')).toBe(before);
  });
});

describe('tenants.schema.json', () => {
  test('is generated from tenants/schema.ts and committed up to date', () => {
    expect(readFileSync('tenants/tenants.schema.json', 'utf8')).toBe(schemaText());
  });

  test('is referenced by tenants.yaml for editor completion', () => {
    expect(base.split('\n')[0]).toBe('# yaml-language-server: $schema=./tenants.schema.json');
  });

  test('documents defaults and refuses unknown fields', () => {
    const schema = JSON.parse(schemaText());
    const entry = schema.properties.tenants.items;
    // hosts are optional: queue and scheduled tenants have none (tenants/kind-rules.ts)
    expect(entry.required).toEqual(['name']);
    expect(entry.properties.kind).toMatchObject({ enum: ['http', 'queue', 'scheduled', 'service', 'stateful', 'job', 'cron-job'], default: 'http' });
    expect(entry.additionalProperties).toBe(false);
    expect(entry.properties.coldStartBudget).toMatchObject({ default: 60, minimum: 5, maximum: 900 });
    expect(entry.properties.name).toMatchObject({ maxLength: 56 });
  });
});

describe('color', () => {
  const { colorEnabled, createOutput } = require('../../cli/output');
  test('only on a terminal; NO_COLOR and FORCE_COLOR win; a CI variable alone does not color', () => {
    expect(colorEnabled({ CI: 'true' }, false)).toBe(false);
    expect(colorEnabled({}, true)).toBe(true);
    expect(colorEnabled({ TERM: 'dumb' }, true)).toBe(false);
    expect(colorEnabled({ NO_COLOR: '1' }, true)).toBe(false);
    expect(colorEnabled({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(createOutput({ color: false }).color.red('x')).toBe('x');
    expect(createOutput({ color: true }).color.red('x')).toBe('\u001b[31mx\u001b[39m');
  });
});

describe('the tenantscale binary', () => {
  const { spawnSync } = require('node:child_process');
  test('a reader that closes the pipe early ends the command quietly (no EPIPE crash)', () => {
    const r = spawnSync('bash', ['-c', `node bin/tenantscale.js synth --tenants "${EXAMPLE_TENANTS}" --out "$(mktemp -d)" | head -1`], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/^✓ synthesized 6 tenants/);
    expect(r.stderr).not.toContain('EPIPE');
  });
});
