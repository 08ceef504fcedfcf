/**
 * `npm run bench:program`: the Pulumi program (infra/index.ts) under the SDK's mocks, in pulumi
 * mode and in flux mode, for generated tenant lists. Measures what the program itself costs
 * before any engine or cloud work: resource registrations that reach the (mock) monitor, wall time
 * from loading the program until the last registration arrived, and peak RSS.
 *
 * Each measurement runs in its own child process (`--child`), so module caches and heaps do not
 * carry over. Options: `--sizes 100,1000,10000`, `--modes flux,pulumi`, `--limit <seconds>` (a
 * child still running after it is killed and reported as not finished; default 900).
 *
 * Not a test: timings depend on the machine and its load, and are reported with the load average.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateTenantList } from './bench';

const PROGRAM = resolve(__dirname, '..', 'infra', 'index.js');

interface ChildResult {
  readonly registrations: number;
  readonly tenantWorkloads: number;
  readonly seconds: number;
  readonly peakRssMiB: number;
}

/** Child: run the program once under mocks in `dir` with the given mode; print the result as JSON. */
async function child(mode: 'pulumi' | 'flux', dir: string): Promise<void> {
  process.chdir(dir);
  const pulumi = require('@pulumi/pulumi') as typeof import('@pulumi/pulumi');
  let count = 0;
  let workloads = 0;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        count++;
        if (args.type === 'tenantscale:platform:TenantWorkloads') workloads++;
        return { id: `${args.name}_id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    'tenantscale',
    'bench',
    false,
  );
  pulumi.runtime.setAllConfig({
    'tenantscale:clusterMode': 'kubeconfig',
    'tenantscale:tenantsFile': 'tenants.yaml',
    'tenantscale:tenantDelivery': mode,
    ...(mode === 'flux' ? { 'tenantscale:flux': JSON.stringify({ url: 'oci://registry.digitalocean.com/bench/tenants', shards: 16 }) } : {}),
  });
  const start = process.hrtime.bigint();
  require(PROGRAM);
  // Done when no registration arrived for 200 turns of the event loop (mock answers are immediate).
  let stable = 0;
  let last = -1;
  while (stable < 200) {
    await new Promise((r) => setImmediate(r));
    if (count === last) stable++;
    else {
      stable = 0;
      last = count;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const result: ChildResult = { registrations: count, tenantWorkloads: workloads, seconds, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

function parent(argv: string[]): void {
  const arg = (name: string, fallback: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : fallback;
  };
  const sizes = arg('--sizes', '100,1000,10000').split(',').map(Number);
  const modes = arg('--modes', 'flux,pulumi').split(',') as ('pulumi' | 'flux')[];
  const limit = Number(arg('--limit', '900'));
  const rows: string[] = [];
  for (const mode of modes) {
    for (const size of sizes) {
      const dir = mkdtempSync(join(tmpdir(), 'tenantscale-program-bench-'));
      writeFileSync(join(dir, 'tenants.yaml'), generateTenantList(size));
      const load = loadavg()[0].toFixed(2);
      const r = spawnSync(process.execPath, ['--max-old-space-size=6144', __filename, '--child', mode, dir], { encoding: 'utf8', timeout: limit * 1000, maxBuffer: 64 * 1024 * 1024 });
      rmSync(dir, { recursive: true, force: true });
      const line = r.stdout?.trim().split('\n').pop() ?? '';
      let row: string;
      if (r.status === 0 && line.startsWith('{')) {
        const c = JSON.parse(line) as ChildResult;
        row = `| ${mode} | ${size.toLocaleString('en-US')} | ${c.registrations.toLocaleString('en-US')} | ${c.tenantWorkloads.toLocaleString('en-US')} | ${c.seconds.toFixed(2)} | ${c.peakRssMiB} | ${load} |`;
      } else {
        const why = r.error ? `${r.error.message}` : `exit ${r.status} ${r.signal ?? ''} ${(r.stderr ?? '').trim().split('\n').slice(-1)[0] ?? ''}`;
        row = `| ${mode} | ${size.toLocaleString('en-US')} | not finished (${why.trim().slice(0, 80)}) | | | | ${load} |`;
      }
      rows.push(row);
      process.stderr.write(`${row}\n`);
    }
  }
  process.stdout.write(
    ['| mode | tenants | registrations | TenantWorkloads | wall (s) | peak RSS (MiB) | load avg at start |', '|:--|--:|--:|--:|--:|--:|--:|', ...rows, ''].join('\n'),
  );
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    child(argv[1] as 'pulumi' | 'flux', argv[2]).catch((err) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
  } else parent(argv);
}
