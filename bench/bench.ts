/**
 * `npm run bench`: times the real CLI on generated tenant lists.
 *
 * For each size (default 100, 1,000 and 10,000 tenants) it writes a tenant list to a temporary
 * directory, runs `node bin/tenantscale.js synth --tenants <list> --out <dir> --quiet` as a child
 * process, and reports wall time, peak resident memory of the child (worker threads included: they
 * live in the same process) and the cost per tenant, as a markdown table ready for
 * docs/benchmarks.md.
 *
 * Options: `--sizes 100,1000,10000`, `--runs 3` (the table shows the median wall time and the
 * largest peak RSS of the runs), `--workers N` (sets TENANTSCALE_SYNTH_WORKERS for the child;
 * default: the CLI's own choice).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'tenantscale.js');
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
  /** Peak resident set size of the child process in bytes. */
  readonly peakRssBytes: number;
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

/** Peak RSS in kB from GNU time's `-v` report. */
function parseGnuTime(stderr: string): number | undefined {
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return m ? Number(m[1]) : undefined;
}

/** Runs one synth as a child process and measures it. */
async function measure(list: string, outDir: string, env: NodeJS.ProcessEnv): Promise<RunMeasurement> {
  const args = [CLI, 'synth', '--tenants', list, '--out', outDir, '--quiet'];
  const useTime = existsSync(TIME);
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
      done({ code: c, stderr: err, peakKb: useTime ? parseGnuTime(err) ?? 0 : sampled });
    });
  });
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (code !== 0) throw new Error(`synth exited with ${code}:\n${stderr}`);
  const { files, digest } = outputDigest(outDir);
  return { wallSeconds, peakRssBytes: peakKb * 1024, files, digest };
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const sizes = option('sizes', '100,1000,10000').split(',').map(Number);
  const runs = Number(option('runs', '3'));
  const workers = option('workers', '');
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  if (workers !== '') env.TENANTSCALE_SYNTH_WORKERS = workers;
  const work = mkdtempSync(join(tmpdir(), 'tenantscale-bench-'));
  const gnu = existsSync(TIME) ? spawnSync(TIME, ['--version'], { encoding: 'utf8' }) : undefined;
  process.stdout.write(
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), node ${process.version}, ` +
      `peak RSS from ${gnu ? `${TIME} -v` : '/proc/<pid>/status VmHWM sampling'}` +
      `${workers !== '' ? `, TENANTSCALE_SYNTH_WORKERS=${workers}` : ''}\n` +
      `command: node bin/tenantscale.js synth --tenants <list> --out <dir> --quiet (median wall of ${runs} runs, max peak RSS)\n\n`,
  );
  const rows: string[] = [
    '| tenants | files | wall (s) | per tenant (ms) | peak RSS (MiB) | output sha256 (first 12) |',
    '|--------:|------:|---------:|----------------:|---------------:|:-------------------------|',
  ];
  try {
    for (const size of sizes) {
      const list = join(work, `tenants-${size}.yaml`);
      writeFileSync(list, generateTenantList(size));
      const results: RunMeasurement[] = [];
      for (let r = 0; r < runs; r++) {
        const outDir = join(work, `out-${size}-${r}`);
        results.push(await measure(list, outDir, env));
        rmSync(outDir, { recursive: true, force: true });
      }
      const digests = new Set(results.map((x) => x.digest));
      if (digests.size !== 1) throw new Error(`${size} tenants: runs produced different output`);
      const wall = median(results.map((x) => x.wallSeconds));
      const peak = Math.max(...results.map((x) => x.peakRssBytes));
      const row =
        `| ${size.toLocaleString('en-US')} | ${results[0].files} | ${wall.toFixed(2)} | ` +
        `${((wall * 1000) / size).toFixed(3)} | ${(peak / 2 ** 20).toFixed(0)} | ${results[0].digest.slice(0, 12)} |`;
      rows.push(row);
      process.stderr.write(`${size}: ${results.map((x) => x.wallSeconds.toFixed(2)).join(' / ')} s\n`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(`${rows.join('\n')}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
