/**
 * synth owns only what it wrote: the record (.tenantscale-output.sha256) in the output directory,
 * refusals naming what it did not write, legacy output adopted, staging outside the output
 * directory, cleaned up on SIGINT/SIGTERM and swept after kill -9. No timed assertions: the
 * signal tests wait for a condition (a staged file exists), then signal.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { runSynth, SynthOptions } from '../../cli/commands/synth';
import { RECORD_FILE } from '../../cli/synth-output/record';
import { generateTenantList } from '../../bench/bench';
import { captureOutput } from './capture-output';
import { EXAMPLE_TENANTS } from '../example-project';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/tenantscale.js');
const EXAMPLE = EXAMPLE_TENANTS;

async function synth(options: Partial<SynthOptions> & { out: string }): Promise<{ code: number; lines: string[]; errors: string[] }> {
  const out = captureOutput();
  const code = await runSynth({ tenants: EXAMPLE, ...options }, out);
  return { code, stdout: out.stdout, stderr: out.stderr };
}

/** Every entry under a directory: relative path → bytes ('<dir>' for directories), sorted. */
function tree(root: string, dir = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      files[rel] = '<dir>';
      Object.assign(files, tree(root, rel));
    } else files[rel] = readFileSync(join(root, rel), 'utf8');
  }
  return files;
}

const scratch = (): string => mkdtempSync(join(tmpdir(), 'synth-output-'));
/** Staging directories synth left beside `out`. */
const stagingBeside = (out: string): string[] => readdirSync(dirname(out)).filter((n) => n.startsWith(`.${basename(out)}.tenantscale-staging-`));
/** A pid that is certainly not running any more. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

describe('synth refuses an output directory that holds what it did not write', () => {
  test('`synth --out .` in a copy of the repository: refused, naming the files, and nothing is deleted (the reported bug)', () => {
    const repo = scratch();
    cpSync(join(ROOT, 'tenants'), join(repo, 'tenants'), { recursive: true });
    mkdirSync(join(repo, '.git'));
    writeFileSync(join(repo, 'package.json'), '{}\n');
    const before = tree(repo);
    const r = spawnSync(process.execPath, [BIN, 'synth', '--out', '.'], { cwd: repo, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('contains the tenant list');
    expect(r.stderr).toContain('tenants/tenants.yaml');
    expect(r.stderr).toContain('nothing was written');
    expect(r.stderr).toContain('  .git/ (directory)');
    // The sources it names are the copied tenants/ folder's (which ones depends on that folder's files).
    expect(r.stderr).toMatch(/^ {2}tenants\/[\w./-]+\.ts$/m);
    expect(tree(repo)).toEqual(before);
  });

  test('a repository root is refused even when the tenant list lives elsewhere', async () => {
    const repo = scratch();
    mkdirSync(join(repo, '.git'));
    const r = await synth({ out: repo });
    expect(r.code).toBe(1);
    expect(r.stderr.join('\n')).toMatch(/is the root of a Git repository/);
    expect(readdirSync(repo)).toEqual(['.git']);
  });

  test('foreign files are named (at most 10, then a count) and left alone; tenants/ and platform/ are checked file by file', async () => {
    const out = join(scratch(), 'dist');
    mkdirSync(join(out, 'tenants'), { recursive: true });
    mkdirSync(join(out, 'src'));
    writeFileSync(join(out, 'src', 'main.ts'), 'mine');
    writeFileSync(join(out, 'tenants', 'schema.ts'), 'mine');
    for (let i = 0; i < 12; i++) writeFileSync(join(out, `z-notes-${String(i).padStart(2, '0')}.md`), 'mine');
    const before = tree(out);
    const r = await synth({ out });
    expect(r.code).toBe(1);
    const text = r.stderr.join('\n');
    expect(text).toContain('14 entries that tenantscale synth did not write');
    expect(text).toContain('src/ (directory)');
    expect(text).toContain('tenants/schema.ts');
    expect(text).toContain('… and 4 more');
    expect(text).not.toContain('z-notes-11.md');
    expect(text).toMatch(/fix: .*--out/);
    expect(tree(out)).toEqual(before);
    expect(stagingBeside(out)).toEqual([]);
  });

  test('a file on the record that was changed since synth wrote it is refused, not overwritten', async () => {
    const out = join(scratch(), 'dist');
    expect((await synth({ out })).code).toBe(0);
    writeFileSync(join(out, 'tenants', 'ahmed.yaml'), '# my hand edit\n');
    const r = await synth({ out });
    expect(r.code).toBe(1);
    expect(r.stderr.join('\n')).toContain('tenants/ahmed.yaml (changed since synth wrote it)');
    expect(readFileSync(join(out, 'tenants', 'ahmed.yaml'), 'utf8')).toBe('# my hand edit\n');
  });

  test('a record listing a path outside the directory is refused as not a tenantscale record', async () => {
    const out = join(scratch(), 'dist');
    expect((await synth({ out })).code).toBe(0);
    const record = readFileSync(join(out, RECORD_FILE), 'utf8');
    writeFileSync(join(out, RECORD_FILE), `${record}${'0'.repeat(64)}  ../victim.txt\n`);
    const r = await synth({ out });
    expect(r.code).toBe(1);
    expect(r.stderr.join('\n')).toMatch(/\.tenantscale-output\.sha256 line \d+: .*\.\.\/victim\.txt/);
  });

  test('an output directory given as the tenant list itself, or a file, is refused', async () => {
    const dir = scratch();
    const list = join(dir, 'tenants.yaml');
    writeFileSync(list, readFileSync(EXAMPLE, 'utf8'));
    const r = await synth({ tenants: list, out: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.join('\n')).toContain('contains the tenant list');
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    expect((await synth({ out: file })).stderr.join('\n')).toContain('is not a directory');
  });
});

describe('synth removes only files on its record', () => {
  test('the record lists exactly the files written, with their SHA-256 (sha256sum format), deterministically', async () => {
    const dir = scratch();
    await synth({ out: join(dir, 'a'), kustomize: true });
    await synth({ out: join(dir, 'b'), kustomize: true });
    const record = readFileSync(join(dir, 'a', RECORD_FILE), 'utf8');
    expect(readFileSync(join(dir, 'b', RECORD_FILE), 'utf8')).toBe(record);
    const listed = record.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(listed.map((l) => l.slice(66))).toEqual([
      'kustomization.yaml',
      'platform/platform.yaml',
      'tenants/ahmed.yaml',
      'tenants/embeddings.yaml',
      'tenants/fatima.yaml',
      'tenants/invoices.yaml',
      'tenants/nightly-report.yaml',
      'tenants/openclaw.yaml',
    ]);
    for (const line of listed) expect(line).toMatch(/^[0-9a-f]{64} {2}\S+$/);
    const check = spawnSync('sha256sum', ['--check', '--strict', RECORD_FILE], { cwd: join(dir, 'a'), encoding: 'utf8' });
    if (check.error === undefined) expect(check.stdout).toContain('tenants/ahmed.yaml: OK');
  });

  test('a removed tenant and a dropped --kustomize disappear; the rerun is byte-identical otherwise', async () => {
    const dir = scratch();
    const out = join(dir, 'dist');
    await synth({ out, kustomize: true });
    const without = readFileSync(EXAMPLE, 'utf8').replace(/  - name: fatima[\s\S]*?(?=\n  # A stateful)/, '');
    writeFileSync(join(dir, 'list.yaml'), without);
    expect((await synth({ tenants: join(dir, 'list.yaml'), out })).code).toBe(0);
    expect(readdirSync(join(out, 'tenants')).sort()).toEqual(['ahmed.yaml', 'embeddings.yaml', 'invoices.yaml', 'nightly-report.yaml', 'openclaw.yaml']);
    expect(existsSync(join(out, 'kustomization.yaml'))).toBe(false);
    expect(readFileSync(join(out, RECORD_FILE), 'utf8')).not.toContain('fatima');
    expect(stagingBeside(out)).toEqual([]);
  });

  test('output of the previous tenantscale version (no record) is adopted when every file is recognisably its own', async () => {
    const out = join(scratch(), 'dist');
    await synth({ out, kustomize: true });
    rmSync(join(out, RECORD_FILE));
    mkdirSync(join(out, `.tenantscale-staging-${deadPid()}`, 'tenants'), { recursive: true }); // old in-directory staging, killed
    writeFileSync(join(out, 'tenants', 'removed-tenant.yaml'), readFileSync(join(out, 'tenants', 'ahmed.yaml'), 'utf8').split('tenant-ahmed').join('tenant-removed-tenant'));
    const r = await synth({ out });
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([RECORD_FILE, 'platform', 'tenants']);
    expect(readdirSync(join(out, 'tenants')).sort()).toEqual(['ahmed.yaml', 'embeddings.yaml', 'fatima.yaml', 'invoices.yaml', 'nightly-report.yaml', 'openclaw.yaml']);
  });

  test('legacy output with a file that is not recognisably tenantscale output is refused as a whole', async () => {
    const out = join(scratch(), 'dist');
    await synth({ out });
    rmSync(join(out, RECORD_FILE));
    writeFileSync(join(out, 'tenants', 'extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mine\n');
    writeFileSync(join(out, 'kustomization.yaml'), 'resources: [tenants/ahmed.yaml]\n');
    const before = tree(out);
    const r = await synth({ out });
    expect(r.code).toBe(1);
    const text = r.stderr.join('\n');
    expect(text).toContain('tenants/extra.yaml');
    expect(text).toContain('kustomization.yaml');
    expect(text).not.toContain('tenants/ahmed.yaml');
    expect(tree(out)).toEqual(before);
  });
});

describe('staging lives beside the output directory, never inside it', () => {
  test('a stale staging directory (its synth was killed) is swept; one of a running synth makes synth refuse', async () => {
    const out = join(scratch(), 'dist');
    const pid = deadPid();
    const stale = join(dirname(out), `.dist.tenantscale-staging-${pid}`);
    mkdirSync(join(stale, 'output', 'tenants'), { recursive: true });
    writeFileSync(join(stale, 'owner.json'), JSON.stringify({ pid, host: hostname() }));
    writeFileSync(join(stale, 'output', 'tenants', 'partial.yaml'), 'half');
    expect((await synth({ out })).code).toBe(0);
    expect(existsSync(stale)).toBe(false);

    const live = join(dirname(out), `.dist.tenantscale-staging-${process.ppid}`);
    mkdirSync(live);
    writeFileSync(join(live, 'owner.json'), JSON.stringify({ pid: process.ppid, host: hostname() }));
    const r = await synth({ out });
    expect(r.code).toBe(1);
    expect(r.stderr.join('\n')).toContain(`another tenantscale synth (pid ${process.ppid}) is writing`);
    expect(existsSync(live)).toBe(true);
  });
});

describe('an output directory given through a symbolic link', () => {
  test('is written in place and staged beside the real directory', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    expect((await synth({ out: join(dir, 'link') })).code).toBe(0);
    expect(readdirSync(join(dir, 'real', 'tenants')).sort()).toEqual(['ahmed.yaml', 'embeddings.yaml', 'fatima.yaml', 'invoices.yaml', 'nightly-report.yaml', 'openclaw.yaml']);
    expect(readdirSync(dir).sort()).toEqual(['link', 'real']);
  });
});

describe('an interrupted synth (a real CLI on 5,000 tenants)', () => {
  const TENANTS = 5000;
  let list: string;
  beforeAll(() => {
    list = join(scratch(), 'big.yaml');
    writeFileSync(list, generateTenantList(TENANTS));
  });

  /** Starts synth on the big list and resolves once the staging directory holds a tenant file. */
  async function startAndWaitForStaging(out: string, workers: number): Promise<ChildProcess & { done: Promise<{ code: number | null; signal: string | null }> }> {
    const child = spawn(process.execPath, [BIN, 'synth', '--tenants', list, '--out', out, '--workers', String(workers), '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const done = new Promise<{ code: number | null; signal: string | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
    let exited = false;
    void done.then(() => (exited = true));
    for (;;) {
      const staging = stagingBeside(out)[0];
      const tenants = staging === undefined ? [] : (() => { try { return readdirSync(join(dirname(out), staging, 'output', 'tenants')); } catch { return []; } })();
      if (tenants.length > 0) break;
      if (exited) throw new Error(`synth ended before it staged a file: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return Object.assign(child, { done });
  }

  async function previousOutput(): Promise<{ out: string; before: Record<string, string> }> {
    const out = join(scratch(), 'dist');
    expect((await synth({ out })).code).toBe(0);
    return { out, before: tree(out) };
  }

  test.each([
    ['SIGTERM', 2],
    ['SIGINT', 1],
  ] as const)('%s mid-run (%i worker thread(s)): staging removed, previous output intact, killed by the signal', async (signal, workers) => {
    const { out, before } = await previousOutput();
    const child = await startAndWaitForStaging(out, workers);
    child.kill(signal);
    const { signal: endedBy } = await child.done;
    expect(endedBy).toBe(signal);
    expect(stagingBeside(out)).toEqual([]);
    expect(tree(out)).toEqual(before);
  }, 120_000);

  test('kill -9 mid-run leaves a staging directory beside dist (not in it); the next run sweeps it', async () => {
    const { out, before } = await previousOutput();
    const child = await startAndWaitForStaging(out, 2);
    child.kill('SIGKILL');
    await child.done;
    const left = stagingBeside(out);
    expect(left).toHaveLength(1);
    expect(readFileSync(join(dirname(out), left[0], '.gitignore'), 'utf8')).toBe('*\n');
    expect(tree(out)).toEqual(before);
    expect((await synth({ out })).code).toBe(0);
    expect(stagingBeside(out)).toEqual([]);
  }, 120_000);
});
