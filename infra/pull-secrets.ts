/** Image pull credentials of a stack: DOCR registries, docker configs, the tenants' imagePullSecret names against `registryCredentials`. */
import { ConfigProblem, PROJECT, StackConfig } from './config';

/** The registry name of a DigitalOcean Container Registry URL (`oci://registry.digitalocean.com/<name>/…`), else undefined. */
export function docrRegistryName(url: string): string | undefined {
  return /^oci:\/\/registry\.digitalocean\.com\/([a-z0-9-]+)\//.exec(url)?.[1];
}

/**
 * The DigitalOcean Container Registry a flux-mode stack creates read-only pull credentials for:
 * in doks mode, for a registry.digitalocean.com URL, unless flux.secretName names a Secret made
 * elsewhere. Undefined otherwise.
 */
export function docrPullRegistry(config: Pick<StackConfig, 'tenantDelivery' | 'clusterMode' | 'flux'>): string | undefined {
  if (config.tenantDelivery !== 'flux' || config.clusterMode !== 'doks' || config.flux.secretName !== undefined || config.flux.url === undefined) return undefined;
  return docrRegistryName(config.flux.url);
}

/** A tenant's `imagePullSecret` and what the stack says about it. */
export interface PullSecretUse {
  readonly tenant: string;
  readonly secret: string;
  /** The tenant's image. */
  readonly image: string;
}

/**
 * Cross-checks the tenants' `imagePullSecret` names against `registryCredentials`. A name the
 * stack does not define is a problem when the stack defines pull credentials (a typo would leave
 * the tenant in ImagePullBackOff), and `missing` when it defines none (the Secret is then created
 * outside Pulumi: kubectl, External Secrets; in flux mode always). Credentials no selected tenant
 * names are `unused` (no Secret or DOCR token is created for them); a tenant whose image is not in
 * the DOCR registry its credentials open is in `otherRegistry`. Pure.
 */
export function checkPullSecrets(
  config: Pick<StackConfig, 'registryCredentials' | 'tenantDelivery'>,
  uses: readonly PullSecretUse[],
): { problems: ConfigProblem[]; missing: PullSecretUse[]; unused: string[]; otherRegistry: (PullSecretUse & { registry: string })[] } {
  const defined = Object.keys(config.registryCredentials);
  const problems: ConfigProblem[] = [];
  const missing: PullSecretUse[] = [];
  const otherRegistry: (PullSecretUse & { registry: string })[] = [];
  for (const use of uses) {
    if (defined.includes(use.secret)) {
      // DOCR credentials open registry.digitalocean.com/<registry>/… only.
      const registry = config.registryCredentials[use.secret].digitalOceanRegistry;
      if (registry !== undefined && !use.image.startsWith(`registry.digitalocean.com/${registry}/`)) otherRegistry.push({ ...use, registry });
      continue;
    }
    if (defined.length === 0 || config.tenantDelivery === 'flux') {
      missing.push(use);
      continue;
    }
    problems.push({
      key: `${PROJECT}:registryCredentials.${use.secret}`,
      message: `tenant "${use.tenant}" pulls its image with imagePullSecret "${use.secret}", which this stack does not define; its pods would fail with ImagePullBackOff`,
      allowed: `one of ${defined.join(', ')}`,
      fix: `set imagePullSecret to one of ${defined.join(', ')} in the tenant list, or pulumi config set --path '${PROJECT}:registryCredentials.${use.secret}.digitalOceanRegistry' <registry>`,
    });
  }
  const named = new Set(uses.map((u) => u.secret));
  return { problems, missing, unused: defined.filter((d) => !named.has(d)), otherRegistry };
}
