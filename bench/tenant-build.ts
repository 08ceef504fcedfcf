/**
 * In-process CPU cost of building one tenant: `tenantManifests(spec)` (construct + `toJson`) plus
 * `toYaml`, over the tenants of `generateTenantList(count)`, repeated in rounds. No files, no
 * workers, no validation: only what every synth worker does per tenant.
 *
 *   npm run build && node build/bench/tenant-build.js [--count 3000] [--rounds 5]
 *
 * Prints the per-tenant CPU time (process.cpuUsage, user + system) of every round and the median.
 * The machine is shared: compare medians of runs taken back to back, and report the load average.
 */
import { loadavg } from 'os';
import { validateTenantsText } from '../tenants/validate';
import { tenantManifests, toYaml } from '../constructs/manifests';
import { generateTenantList } from './bench';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function main(): void {
  const count = option('count', 3000);
  const rounds = option('rounds', 5);
  const result = validateTenantsText(generateTenantList(count));
  if (result.problems.length > 0) throw new Error(`bench list invalid: ${JSON.stringify(result.problems.slice(0, 3))}`);
  const specs = result.tenants;
  // Warm-up: JIT and module initialisation are not per-tenant costs.
  for (const spec of specs.slice(0, 300)) toYaml(tenantManifests(spec));
  const perTenantUs: number[] = [];
  let bytes = 0;
  for (let r = 0; r < rounds; r++) {
    const start = process.cpuUsage();
    for (const spec of specs) bytes += toYaml(tenantManifests(spec)).length;
    const used = process.cpuUsage(start);
    perTenantUs.push((used.user + used.system) / specs.length);
  }
  const sorted = [...perTenantUs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `tenants=${specs.length} rounds=${rounds} load=${loadavg()[0].toFixed(2)} ` +
      `per-tenant CPU µs: ${perTenantUs.map((v) => v.toFixed(0)).join(', ')} median=${median.toFixed(0)} ` +
      `(yaml bytes/round=${Math.round(bytes / rounds)})`,
  );
}

main();
