/**
 * `npm run bench`: times the real CLI on generated tenant lists.
 *
 * For each size (default 100, 1,000 and 10,000 tenants) it writes a tenant list to a temporary
 * directory, runs `node bin/tenantscale.js synth --tenants <list> --out <dir> --quiet` as a child
 * process, and reports wall time, peak resident memory of the child (worker threads included: they
 * live in the same process) and the cost per tenant, as a markdown table ready for
 * docs/benchmarks.md.
 *
 * Options: `--sizes 100,1000,10000`, `--runs 3` (the table shows the run with the median wall
 * time and the largest peak RSS of the runs), `--workers N` (passes `--workers N` to synth;
 * default: the CLI's own choice), `--cli PATH` (another build of the CLI, e.g. an older commit
 * built elsewhere, for before/after tables), `--verify` (checks every file of the first run
 * against the reference path: the Tenant construct in its own App, serialized by `yaml`'s
 * `stringify` with synth's YAML_OPTIONS, `referenceYaml`, instead of the direct emitter).
 *
 * Other processes on the machine slow a run down: the table also shows the CPU time the run used
 * (user + system, all threads) and the load average when it started. Each run starts after
 * `sync`, and outputs are removed only after all runs of a size, so that flushing or deleting an
 * earlier run's files is not timed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { referenceYaml, tenantManifests } from '../constructs/manifests';
import { loadTenants } from '../tenants/validate';

const ROOT = resolve(__dirname, '..', '..');
const DEFAULT_CLI = join(ROOT, 'bin', 'tenantscale.js');
const TIME = '/usr/bin/time';

/**
 * A valid tenant list of `count` tenants, deterministic for a given count. The tenants cycle
 * through the shapes of the example list: request-rate scaling, concurrency scaling, and a
 * stateful tenant with plain and secret environment variables; every fourth tenant has no
 * metrics endpoint (no ServiceMonitor).
 */
export function generateTenantList(count: number): string {
  const lines = [
    'defaults:',
    '  image: ghcr.io/stefanprodan/podinfo:6.7.1',
    '  port: 9898',
    '  probes: { readiness: /readyz, liveness: /healthz }',
    '  resources:',
    '    requests: { cpu: 100m, memory: 128Mi }',
    '    limits: { cpu: 500m, memory: 512Mi }',
    '  scaling:',
    '    min: 0',
    '    max: 3',
    '    scaledownPeriod: 600',
    '    metric: { requestRate: { target: 10, window: 1m, granularity: 1s } }',
    '  coldStartBudget: 60',
    'tenants:',
  ];
  const width = String(count).length;
  for (let i = 0; i < count; i++) {
    const name = `tenant-${String(i).padStart(width, '0')}`;
    lines.push(`  - name: ${name}`, `    hosts: [${name}.tenants.example.com]`, `    labels: { plan: plan-${i % 7} }`);
    switch (i % 3) {
      case 1:
        lines.push('    scaling: { max: 5, metric: { concurrency: { target: 20 } } }');
        break;
      case 2:
        lines.push(
          '    stateful: true',
          '    scaling: { min: 1, max: 1 }',
          '    resources: { requests: { cpu: 250m, memory: 512Mi }, limits: { cpu: "1", memory: 1Gi } }',
          `    env: { LOG_LEVEL: info, TOKEN: { secret: ${name}-token, key: token } }`,
        );
        break;
      default:
        break;
    }
    if (i % 4 !== 3) lines.push('    metrics: { path: /metrics }');
  }
  return `${lines.join('\n')}\n`;
}

export interface RunMeasurement {
  readonly wallSeconds: number;
  /** User + system CPU time of the child, all threads (GNU time only; else NaN). */
  readonly cpuSeconds: number;
  /** Peak resident set size of the child process in bytes. */
  readonly peakRssBytes: number;
  /** 1-minute load average when the run started. */
  readonly load: number;
  readonly files: number;
  /** sha256 over every output file (path and bytes, sorted by path). */
  readonly digest: string;
}

/** Digest of a synth output directory: every file under tenants/ and platform/, sorted by path. */
export function outputDigest(outDir: string): { files: number; digest: string } {
  const hash = createHash('sha256');
  let files = 0;
  for (const dir of ['tenants', 'platform']) {
    const full = join(outDir, dir);
    if (!existsSync(full)) continue;
    for (const name of readdirSync(full).sort()) {
      hash.update(`${dir}/${name}\0`);
      hash.update(readFileSync(join(full, name)));
      hash.update('\0');
      files++;
    }
  }
  return { files, digest: hash.digest('hex') };
}


/** Files under `<outDir>/tenants/` that differ from the reference synthesis of the list. */
export function verifyOutput(list: string, outDir: string): { checked: number; differing: string[] } {
  const differing: string[] = [];
  const tenants = loadTenants(list);
  for (const spec of tenants) {
    const expected = tenantManifests(spec)
      .map((o) => referenceYaml(o))
      .join('---\n');
    if (readFileSync(join(outDir, 'tenants', `${spec.name}.yaml`), 'utf8') !== expected) differing.push(spec.name);
  }
  const written = readdirSync(join(outDir, 'tenants')).length;
  if (written !== tenants.length) differing.push(`(${written} files for ${tenants.length} tenants)`);
  return { checked: tenants.length, differing };
}

/** A number from GNU time's `-v` report. */
function gnuTimeField(stderr: string, label: string): number | undefined {
  const m = new RegExp(`${label.replace(/[()]/g, '\\$&')}: ([0-9.]+)`).exec(stderr);
  return m ? Number(m[1]) : undefined;
}

/** Runs one synth as a child process and measures it. */
async function measure(cli: string, list: string, outDir: string, extra: readonly string[]): Promise<RunMeasurement> {
  const args = [cli, 'synth', '--tenants', list, '--out', outDir, '--quiet', ...extra];
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  const useTime = existsSync(TIME);
  const load = loadavg()[0];
  const start = process.hrtime.bigint();
  const { code, stderr, peakKb } = await new Promise<{ code: number | null; stderr: string; peakKb: number }>((done, fail) => {
    const child = useTime
      ? spawn(TIME, ['-v', process.execPath, ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let sampled = 0;
    // Without GNU time: sample the child's high-water mark (VmHWM) from /proc while it runs.
    const timer = useTime
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) sampled = Math.max(sampled, Number(m[1]));
          } catch {
            // The child has exited.
          }
        }, 10);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('close', (c) => {
      if (timer) clearInterval(timer);
      done({ code: c, stderr: err, peakKb: useTime ? gnuTimeField(err, 'Maximum resident set size (kbytes)') ?? 0 : sampled });
    });
  });
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (code !== 0) throw new Error(`synth exited with ${code}:\n${stderr}`);
  const { files, digest } = outputDigest(outDir);
  const cpuSeconds = (gnuTimeField(stderr, 'User time (seconds)') ?? NaN) + (gnuTimeField(stderr, 'System time (seconds)') ?? NaN);
  return { wallSeconds, cpuSeconds, peakRssBytes: peakKb * 1024, load, files, digest };
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const sizes = option('sizes', '100,1000,10000').split(',').map(Number);
  const runs = Number(option('runs', '3'));
  const workers = option('workers', '');
  const verify = process.argv.includes('--verify');
  const cli = resolve(option('cli', DEFAULT_CLI));
  const extra = workers !== '' ? ['--workers', workers] : [];
  const work = mkdtempSync(join(tmpdir(), 'tenantscale-bench-'));
  const gnu = existsSync(TIME);
  process.stdout.write(
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), node ${process.version}, ` +
      `peak RSS and CPU time from ${gnu ? `${TIME} -v` : '/proc/<pid>/status VmHWM sampling (no CPU time)'}\n` +
      `command: node ${relativeToRoot(cli)} synth --tenants <list> --out <dir> --quiet${extra.length ? ` ${extra.join(' ')}` : ''}` +
      ` (run with the median wall time of ${runs}; largest peak RSS)\n\n`,
  );
  const rows: string[] = [
    '| tenants | files | wall (s) | per tenant (ms) | CPU user+sys (s) | peak RSS (MiB) | load avg at start | output sha256 |',
    '|--------:|------:|---------:|----------------:|-----------------:|---------------:|------------------:|:--------------|',
  ];
  try {
    for (const size of sizes) {
      const list = join(work, `tenants-${size}.yaml`);
      writeFileSync(list, generateTenantList(size));
      const results: RunMeasurement[] = [];
      for (let r = 0; r < runs; r++) {
        const outDir = join(work, `out-${size}-${r}`);
        // Start each run with no dirty pages and no pending deletions of an earlier run: flushing
        // and discarding tens of thousands of files would otherwise land in the next run's time.
        spawnSync('sync');
        const m = await measure(cli, list, outDir, extra);
        results.push(m);
        process.stderr.write(
          `${size} tenants, run ${r + 1}: ${m.wallSeconds.toFixed(2)} s wall, ${m.cpuSeconds.toFixed(2)} s CPU, ` +
            `${(m.peakRssBytes / 2 ** 20).toFixed(0)} MiB, load ${m.load.toFixed(2)}\n`,
        );
      }
      if (new Set(results.map((x) => x.digest)).size !== 1) throw new Error(`${size} tenants: runs produced different output`);
      if (verify) {
        const { checked, differing } = verifyOutput(list, join(work, `out-${size}-0`));
        if (differing.length > 0) throw new Error(`${size} tenants: differ from the reference: ${differing.slice(0, 5).join(', ')}`);
        process.stderr.write(`${size} tenants: ${checked} files identical to the reference synthesis\n`);
      }
      for (let r = 0; r < runs; r++) rmSync(join(work, `out-${size}-${r}`), { recursive: true, force: true });
      const typical = [...results].sort((a, b) => a.wallSeconds - b.wallSeconds)[Math.floor(results.length / 2)];
      const peak = Math.max(...results.map((x) => x.peakRssBytes));
      rows.push(
        `| ${size.toLocaleString('en-US')} | ${typical.files.toLocaleString('en-US')} | ${typical.wallSeconds.toFixed(2)} | ` +
          `${((typical.wallSeconds * 1000) / size).toFixed(2)} | ${typical.cpuSeconds.toFixed(2)} | ${(peak / 2 ** 20).toFixed(0)} | ` +
          `${typical.load.toFixed(2)} | ${typical.digest.slice(0, 12)} |`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(`${rows.join('\n')}\n`);
}

function relativeToRoot(path: string): string {
  return path.startsWith(`${ROOT}/`) ? path.slice(ROOT.length + 1) : path;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
