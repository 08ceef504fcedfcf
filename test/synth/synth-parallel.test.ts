/**
 * Parallel synth: the same bytes whatever the number of threads, the documented file layout, and
 * the all-or-nothing guarantee when a thread fails. No timing here: speed is `npm run bench`.
 */
import { certManagerManifests, monitoringManifests, platformManifests, platformNetworkPolicyManifests } from '../../constructs/platform/platform-manifests';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { RECORD_FILE } from '../../cli/synth-output/record';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Manifest } from '../../constructs/manifests';
import { parseWorkers, runSynth, synthesize, synthesizeToDirectory, SynthSummary } from '../../cli/commands/synth';
import { Output } from '../../cli/output';
import pc from 'picocolors';
import { CHUNK_SIZE, defaultThreadCount, mergeTallies, PARALLEL_THRESHOLD } from '../../cli/synth-worker';
import { validateTenantsText } from '../../tenants/validate';
import { TenantSpec } from '../../tenants/schema';
import { generateTenantList } from '../../bench/bench';

const TENANTS: TenantSpec[] = (() => {
  // Four chunks of CHUNK_SIZE and a bit: enough for every thread to claim work.
  const result = validateTenantsText(generateTenantList(4 * CHUNK_SIZE + 5));
  if (result.problems.length > 0) throw new Error(JSON.stringify(result.problems));
  return result.tenants;
})();

/** Every file under a directory, relative path → bytes, sorted by path. */
function readTree(root: string, dir = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) Object.assign(files, readTree(root, rel));
    else files[rel] = readFileSync(join(root, rel), 'utf8');
  }
  return files;
}

const scratch = mkdtempSync(join(tmpdir(), 'synth-parallel-'));
const runs = new Map<number, { dir: string; summary: SynthSummary }>();

async function synthWith(threads: number): Promise<{ dir: string; summary: SynthSummary }> {
  const cached = runs.get(threads);
  if (cached) return cached;
  const dir = join(scratch, `threads-${threads}`);
  const summary = await synthesizeToDirectory(dir, { tenants: TENANTS }, { threads });
  runs.set(threads, { dir, summary });
  return { dir, summary };
}

describe('parallel synth', () => {
  test('1, 2 and 3 threads write byte-identical trees, equal to the in-memory synthesize()', async () => {
    const expected: Record<string, string> = {};
    for (const [path, content] of synthesize({ tenants: TENANTS }).files) expected[path] = content;
    for (const threads of [1, 2, 3]) {
      const { dir } = await synthWith(threads);
      const tree = readTree(dir);
      expect(Object.keys(tree)).toEqual([RECORD_FILE, ...Object.keys(expected)].sort());
      for (const [path, content] of Object.entries(expected)) expect(tree[path]).toBe(content);
      expect(tree[RECORD_FILE]).toBe(readTree((await synthWith(1)).dir)[RECORD_FILE]);
    }
  });

  test('the summary does not depend on the thread count', async () => {
    const memory = synthesize({ tenants: TENANTS });
    const expectedKinds = mergeTallies([{ kinds: memory.kinds, objectCount: memory.objectCount }]).kinds;
    for (const threads of [1, 2, 3]) {
      const { summary } = await synthWith(threads);
      expect(summary.tenantCount).toBe(TENANTS.length);
      expect(summary.objectCount).toBe(memory.objectCount);
      expect(summary.kinds).toEqual(expectedKinds);
      expect(Object.keys(summary.kinds)).toEqual(Object.keys(summary.kinds).sort());
      expect(summary.files).toEqual(TENANTS.map((t) => `tenants/${t.name}.yaml`));
    }
  });

  test('layout: tenants/<name>.yaml per tenant, an empty platform/, the record, no staging directory left', async () => {
    const { dir } = await synthWith(2);
    expect(readdirSync(dir).sort()).toEqual([RECORD_FILE, 'platform', 'tenants']);
    expect(readdirSync(scratch).filter((n) => n.includes('tenantscale-staging'))).toEqual([]);
    expect(readdirSync(join(dir, 'platform'))).toEqual([]);
    expect(readdirSync(join(dir, 'tenants')).sort()).toEqual(TENANTS.map((t) => `${t.name}.yaml`).sort());
    for (const t of TENANTS.slice(0, 5)) {
      const text = readFileSync(join(dir, 'tenants', `${t.name}.yaml`), 'utf8');
      expect(text.startsWith('apiVersion: v1\nkind: Namespace\n')).toBe(true);
      expect(text).toContain(`  name: tenant-${t.name}\n`);
    }
  });

  test('replaces what it wrote before, refuses files it did not, and writes platform objects to platform/platform.yaml', async () => {
    const dir = join(scratch, 'owned');
    await synthesizeToDirectory(dir, { tenants: TENANTS.slice(0, 4) }, { threads: 1 });
    writeFileSync(join(dir, 'kept.txt'), 'not synth output');
    const platform: Manifest[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'keda', labels: { on: 'yes' } } }];
    await expect(synthesizeToDirectory(dir, { tenants: TENANTS.slice(0, 3), platform }, { threads: 2 })).rejects.toThrow(/did not write/);
    expect(readFileSync(join(dir, 'kept.txt'), 'utf8')).toBe('not synth output');
    rmSync(join(dir, 'kept.txt'));
    const summary = await synthesizeToDirectory(dir, { tenants: TENANTS.slice(0, 3), platform }, { threads: 2 });
    expect(existsSync(join(dir, 'tenants', `${TENANTS[3].name}.yaml`))).toBe(false);
    expect(readFileSync(join(dir, 'platform', 'platform.yaml'), 'utf8')).toBe(
      synthesize({ tenants: [], platform }).files.get('platform/platform.yaml'),
    );
    expect(summary.files[0]).toBe('platform/platform.yaml');
    expect(summary.kinds.Namespace).toBe(4);
  });

  test('a tenant that fails to build on any thread leaves the previous output untouched', async () => {
    const dir = join(scratch, 'failure');
    await synthesizeToDirectory(dir, { tenants: TENANTS.slice(0, 3) }, { threads: 1 });
    const before = readTree(dir);
    // Not a valid TenantSpec (validation would refuse it): the construct throws while building.
    const broken = { ...TENANTS[TENANTS.length - 1], name: 'broken', scaling: { ...TENANTS[0].scaling, metric: {} } } as TenantSpec;
    for (const threads of [1, 2]) {
      await expect(synthesizeToDirectory(dir, { tenants: [...TENANTS, broken] }, { threads })).rejects.toThrow();
      expect(readTree(dir)).toEqual(before);
      expect(readdirSync(dir).sort()).toEqual([RECORD_FILE, 'platform', 'tenants']);
      expect(readdirSync(scratch).filter((n) => n.includes('tenantscale-staging'))).toEqual([]);
    }
  });
});

describe('runSynth with a large tenants file (workers started once it is valid)', () => {
  const quiet = (): Output & { errors: string[] } => {
    const errors: string[] = [];
    return { errors, info: () => undefined, warn: () => undefined, error: (l) => errors.push(l), color: pc.createColors(false) };
  };
  const bigList = generateTenantList(PARALLEL_THRESHOLD + 10);

  test('writes the same files as the in-memory synthesize()', async () => {
    const file = join(scratch, 'big.yaml');
    writeFileSync(file, bigList);
    const out = join(scratch, 'big-out');
    expect(await runSynth({ tenants: file, out, workers: 2 }, quiet())).toBe(0);
    const tenants = validateTenantsText(bigList).tenants;
    const tree = readTree(out);
    const expected = synthesize({ tenants, platform: [...certManagerManifests(), ...platformManifests(), ...monitoringManifests(undefined, { tenants }), ...platformNetworkPolicyManifests()] }).files;
    expect(Object.keys(tree).filter((p) => p !== RECORD_FILE).length).toBe(expected.size);
    for (const [path, content] of expected) expect(tree[path]).toBe(content);
  });

  test('an invalid large file writes nothing and reports the problem', async () => {
    const file = join(scratch, 'big-invalid.yaml');
    writeFileSync(file, bigList.replace('  - name: tenant-007\n', '  - name: Tenant_007\n'));
    const out = join(scratch, 'big-invalid-out');
    mkdirSync(join(out, 'tenants'), { recursive: true });
    writeFileSync(join(out, 'tenants', 'previous.yaml'), 'previous output');
    const output = quiet();
    expect(await runSynth({ tenants: file, out }, output)).toBe(1);
    expect(output.errors.join('\n')).toMatch(/Tenant_007/);
    expect(readTree(out)).toEqual({ 'tenants/previous.yaml': 'previous output' });
  });
});

describe('thread count', () => {
  test('one thread below the threshold, one per CPU above it, at most 8', () => {
    expect(defaultThreadCount(3, 2)).toBe(1);
    expect(defaultThreadCount(PARALLEL_THRESHOLD - 1, 16)).toBe(1);
    expect(defaultThreadCount(PARALLEL_THRESHOLD, 2)).toBe(2);
    expect(defaultThreadCount(10_000, 2)).toBe(2);
    expect(defaultThreadCount(10_000, 64)).toBe(8);
    expect(defaultThreadCount(10_000, 1)).toBe(1);
  });

  test('--workers takes a whole number of threads, at least 1', () => {
    expect(parseWorkers('1')).toBe(1);
    expect(parseWorkers('4')).toBe(4);
    for (const bad of ['0', '-1', '1.5', 'two', '']) expect(() => parseWorkers(bad)).toThrow(/whole number/);
  });
});
