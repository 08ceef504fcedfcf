/**
 * The VerticalPodAutoscaler's bounds against the tenant's own requests. The VPA caps every
 * recommendation at `maxAllowed` (kubernetes/autoscaler vertical-pod-autoscaler/pkg/utils/vpa/capping.go
 * applyVPAPolicy → maybeCapToPolicyMax: target, lower and upper bound are clamped to
 * [minAllowed, maxAllowed]; read at commit 037355e, the pinned VPA 1.7.1 not re-read), so a maxAllowed below the request recommends less than
 * the tenant already asks for, and a VPA in `Initial` mode would start new pods below it. The
 * built-in default (2 CPU / 4Gi, tenants/schema.ts) is therefore raised to the request when the
 * request is larger, and a maxAllowed written below the request is refused.
 */
import type { Problem } from '../problem';
import { cpuMillis, isCpuQuantity, isMemoryQuantity, memoryBytes } from '../quantity';
import type { TenantSpec } from '../schema';

const RESOURCES = [
  ['cpu', isCpuQuantity, cpuMillis],
  ['memory', isMemoryQuantity, memoryBytes],
] as const;

/** Whether the tenant (or the file's defaults, merged under it) wrote vpa.maxAllowed.<resource>. */
function written(merged: unknown, resource: 'cpu' | 'memory'): boolean {
  const vpa = (merged as { vpa?: { maxAllowed?: Record<string, unknown> } } | undefined)?.vpa;
  return vpa?.maxAllowed?.[resource] !== undefined;
}

/** A vpa.maxAllowed the tenant wrote below its own request: refused. `merged` is the entry with the defaults under it. Pure. */
export function vpaBoundProblems(merged: unknown, spec: TenantSpec): Problem[] {
  const problems: Problem[] = [];
  for (const [resource, valid, value] of RESOURCES) {
    const request = spec.resources.requests[resource];
    const max = spec.vpa.maxAllowed[resource];
    if (!written(merged, resource) || !valid(request) || !valid(max) || value(max) >= value(request)) continue;
    problems.push({
      tenant: spec.name,
      field: `vpa.maxAllowed.${resource}`,
      value: max,
      message: `vpa.maxAllowed.${resource} is below the tenant's own ${resource} request (${request}): the VPA would recommend less than the tenant asks for`,
      allowed: `vpa.maxAllowed.${resource} ≥ resources.requests.${resource} (${request})`,
      fix: `raise vpa.maxAllowed.${resource} to at least "${request}", or remove it (the default is raised to the request)`,
    });
  }
  return problems;
}

/** The resolved tenant with each defaulted vpa.maxAllowed raised to the request when the request is larger. Pure. */
export function withVpaBounds(merged: unknown, spec: TenantSpec): TenantSpec {
  let maxAllowed = spec.vpa.maxAllowed;
  for (const [resource, valid, value] of RESOURCES) {
    const request = spec.resources.requests[resource];
    const max = maxAllowed[resource];
    if (written(merged, resource) || !valid(request) || !valid(max) || value(max) >= value(request)) continue;
    maxAllowed = { ...maxAllowed, [resource]: request };
  }
  return maxAllowed === spec.vpa.maxAllowed ? spec : { ...spec, vpa: { ...spec.vpa, maxAllowed } };
}
