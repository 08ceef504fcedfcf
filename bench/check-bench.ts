/**
 * `npm run bench:check`: CPU time of the policy rules (`tenantscale check`'s engine, in process)
 * over N copies of the first example tenant, for several N. Every cross-object lookup in the rules
 * is indexed, so the cost per tenant stays flat as N grows; a quadratic lookup shows as a per-tenant
 * cost that grows with N (it took minutes at 3,000 tenants before the lookups were indexed).
 *
 *   npm run bench:check -- [--sizes 300,1000,3000] [--rounds 3]
 *
 * Prints a markdown table (median of the rounds) for docs/benchmarks.md, with the load average:
 * the machine may be shared, so CPU time is the figure to compare, not wall time.
 */
import { loadavg } from 'os';
import { tenantManifests } from '../constructs/manifests';
import { runRules } from '../policies/engine';
import type { KubeObject } from '../policies/types';
import { loadTenants } from '../tenants/validate';
import { join } from 'path';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** `count` renamed copies of one tenant's objects: the same shapes, no name shared. */
export function copies(template: string, name: string, count: number): KubeObject[] {
  const objects: KubeObject[] = [];
  for (let i = 0; i < count; i++) objects.push(...(JSON.parse(template.replaceAll(name, `tenant${i}x`)) as KubeObject[]));
  return objects;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main(): void {
  const sizes = option('sizes', '300,1000,3000').split(',').map(Number);
  const rounds = Number(option('rounds', '3'));
  const [first] = loadTenants(join(__dirname, '..', '..', 'tenants', 'tenants.yaml'));
  const template = JSON.stringify(tenantManifests(first));
  console.log(`load average at start: ${loadavg()[0].toFixed(2)}\n`);
  console.log('| tenants | objects | violations | CPU s (median) | CPU µs per tenant | heap used MiB |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const size of sizes) {
    const objects = copies(template, first.name, size);
    const cpu: number[] = [];
    let violations = 0;
    for (let r = 0; r < rounds; r++) {
      const start = process.cpuUsage();
      violations = runRules(objects).length;
      const used = process.cpuUsage(start);
      cpu.push((used.user + used.system) / 1e6);
    }
    const m = median(cpu);
    const heap = process.memoryUsage().heapUsed / 2 ** 20;
    console.log(`| ${size.toLocaleString('en')} | ${objects.length.toLocaleString('en')} | ${violations} | ${m.toFixed(2)} | ${((m * 1e6) / size).toFixed(0)} | ${heap.toFixed(0)} |`);
  }
}

if (require.main === module) main();
