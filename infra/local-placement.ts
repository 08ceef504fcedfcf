import { DOKS_POOL_LABEL } from '../tenants/rules/placement';
import { TenantSpec } from '../tenants/schema';

/**
 * Tenants placed on a node pool, deployed to a cluster tenantscale did not create (kubeconfig
 * mode: kind, minikube, an existing cluster). Their pods select DOKS's pool label
 * (`nodeSelector: {doks.digitalocean.com/node-pool: <pool>}`, constructs/tenant-workload.ts),
 * which such a cluster's nodes carry only when labelled by hand; the stack knows no pools, so
 * nothing about the pool is checked and no tolerations are written. One warning per tenant. Pure.
 */
export function localPlacementWarnings(tenants: readonly Pick<TenantSpec, 'name' | 'nodePool'>[]): string[] {
  return tenants.flatMap((t) =>
    t.nodePool === undefined
      ? []
      : [
          `tenant "${t.name}" (nodePool: ${t.nodePool}) selects nodes labelled ${DOKS_POOL_LABEL}=${t.nodePool}, which on this cluster (kubeconfig mode) only a node labelled by hand carries: ` +
            `its pods stay Pending until one is (kubectl label node <node> ${DOKS_POOL_LABEL}=${t.nodePool}); pool, fit and taints are not checked`,
        ],
  );
}
