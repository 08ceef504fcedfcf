/** The artifact a flux-mode stack's Flux source follows (`tenantscale:flux.*`). */
import type { TenantArtifact } from '../constructs/platform/tenant-artifact-source';
import type { StackConfig } from './config';

/** Default OCI tag and Git branch the Flux source follows (`tenantscale:flux.ref`). */
export const DEFAULT_FLUX_REFS = { oci: 'latest', git: 'tenantscale-dist' } as const;

/** The artifact of a flux-mode stack (`tenantDelivery: flux`; flux.url is then set). */
export function fluxArtifact(config: Pick<StackConfig, 'flux'>): TenantArtifact {
  const f = config.flux;
  if (f.url === undefined) throw new Error('fluxArtifact: tenantscale:flux.url is not set');
  return f.source === 'oci'
    ? { kind: 'oci', url: f.url, tag: f.ref ?? DEFAULT_FLUX_REFS.oci }
    : { kind: 'git', url: f.url, branch: f.ref ?? DEFAULT_FLUX_REFS.git };
}
