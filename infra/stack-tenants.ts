/**
 * The tenants one stack serves, and the one rule set that decides them. The Pulumi program
 * (infra/index.ts), `tenantscale synth --stack` and `tenantscale plan --stack` (cli/synth-stack.ts)
 * call `loadStackTenants` and nothing else, so a list one of them accepts the others accept and
 * a refusal names the same tenant, field and fix in all three (test/infra/stack-verdicts.test.ts).
 */
import { isAbsolute, resolve } from 'node:path';
import type { TenantSpec } from '../tenants/schema';
import { TenantListError } from '../tenants/problem';
import { placementProblems } from '../tenants/rules/placement';
import { largestPoolBound } from '../tenants/rules/quantities';
import { loadTenants, ValidationOptions } from '../tenants/validate';
import { StackConfig } from './config';
import { clusterRanges, nodePoolFacts } from './cluster-facts';
import { checkStackSelections } from './stack-selection';
import { selects } from './tenant-selector';

/** What `loadStackTenants` found. */
export interface StackTenants {
  /** The stack's tenant list, resolved against the project directory. */
  readonly tenantsFile: string;
  /** The tenants the stack serves (its tenantSelector), in file order. */
  readonly tenants: TenantSpec[];
  /** What the stack's node pools did not let the rules check (warnings, not refusals), one line each. */
  readonly unchecked: readonly string[];
}

/**
 * The validation options of a stack: its tenant domain, and in doks mode the bound of the
 * largest node pool. A pool whose size slug does not tell its CPU and memory (GPU Droplets,
 * policies/resources.ts dropletCapacity) may be the largest, so then no pool bound applies (the
 * offline bound does, and `unknownPools` says so); a placed tenant is still held to its own pool
 * by placementProblems. Also the stack's cluster ranges (egress may not reach them) and its
 * tenant limit (`maxTenants` overrides `tenantscale:limits.maxTenants`, from `--max-tenants`). Pure.
 */
export function stackValidationOptions(config: Pick<StackConfig, 'clusterMode' | 'nodePools' | 'tls' | 'clusterSubnet' | 'serviceSubnet' | 'limits'>, maxTenants?: number): ValidationOptions {
  const pools = nodePoolFacts(config);
  const known = (pools ?? []).flatMap((p) => (p.capacity?.cpuMillis !== undefined && p.capacity.memoryBytes !== undefined ? [{ name: p.name, size: p.size, capacity: { cpuMillis: p.capacity.cpuMillis, memoryBytes: p.capacity.memoryBytes } }] : []));
  const podBound = pools && known.length === pools.length ? largestPoolBound(known) : undefined;
  return { ...(podBound ? { podBound } : {}), tenantDomain: config.tls.tenantDomain, clusterRanges: clusterRanges(config), maxTenants: maxTenants ?? config.limits.maxTenants };
}

/** The stack's pools whose CPU and memory the size slug does not tell (no pool bound applies then). */
export function unknownPools(config: Pick<StackConfig, 'clusterMode' | 'nodePools'>): string[] {
  return (nodePoolFacts(config) ?? []).filter((p) => p.capacity?.cpuMillis === undefined || p.capacity.memoryBytes === undefined).map((p) => `${p.name} (${p.size})`);
}

/**
 * Reads and checks what a stack serves: every stack file of `projectDir` partitions its
 * environment's tenants (infra/stack-selection.ts), every list is validated with the stack's
 * options, the stack's selector picks its tenants, and those are checked against its node pools
 * (placementProblems). Throws TenantListError (naming the stack's list) or StackSelectionError.
 */
export function loadStackTenants(config: StackConfig, projectDir: string, maxTenants?: number): StackTenants {
  const options = stackValidationOptions(config, maxTenants);
  const lists = new Map<string, TenantSpec[]>();
  const load = (file: string) => lists.get(file) ?? lists.set(file, loadTenants(file, options)).get(file)!;
  checkStackSelections(projectDir, load);
  const tenantsFile = isAbsolute(config.tenantsFile) ? config.tenantsFile : resolve(projectDir, config.tenantsFile);
  const tenants = load(tenantsFile).filter((t) => selects(config.tenantSelector, t.labels ?? {}));
  const pools = nodePoolFacts(config);
  const placed = pools ? tenants.map((t) => ({ tenant: t.name, ...placementProblems(t, pools) })) : [];
  const problems = placed.flatMap((p) => p.problems);
  if (problems.length > 0) throw new TenantListError(tenantsFile, problems);
  const unknown = unknownPools(config);
  const unplaced = tenants.filter((t) => t.nodePool === undefined).length;
  const unbounded = unknown.length > 0 && unplaced > 0 ? [`${unplaced} tenant${unplaced === 1 ? '' : 's'} without a nodePool: not checked: requests and limits against the largest node pool (the size slug of ${unknown.join(', ')} does not tell its CPU and memory; only the offline bound applied)`] : [];
  return { tenantsFile, tenants, unchecked: [...placed.flatMap((p) => p.unchecked.map((what) => `tenant "${p.tenant}": not checked: ${what}`)), ...unbounded] };
}
