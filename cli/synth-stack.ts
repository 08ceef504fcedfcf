/**
 * `tenantscale synth --stack <name|file>`: synthesizes what one stack (cluster) serves. Reads
 * `Pulumi.<name>.yaml` offline (no Pulumi CLI, no credentials), checks that the repository's
 * stacks partition the tenants, keeps the tenants the stack's `tenantSelector` picks, and in flux
 * mode also returns the shard layout and the Flux objects the Pulumi program applies (the same
 * construct, so the reviewed file is what is deployed). Loaded only with `--stack`: it brings
 * zod's stack schema and the Pulumi SDK, which plain `synth` does not need.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { Manifest } from '../constructs/manifests';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from '../constructs/platform-settings';
import { platformHealthChecks } from '../constructs/platform/platform-health-checks';
import { platformTlsSettings } from '../constructs/platform/platform';
import { PlatformNetworkPoliciesProps, platformListenerPorts } from '../constructs/platform/platform-network-policies';
import { PlatformObjectsProps } from '../constructs/platform/platform-objects';
import { PULL_SECRET_NAME, tenantDeliveryManifests } from '../constructs/platform/tenant-delivery-objects';
import { fluxInstanceManifest } from '../constructs/platform/flux-instance';
import { TenantSpec } from '../tenants/schema';
import { MAX_STACK_FILE_BYTES, StackSelectionError } from '../infra/stack-selection';
import { loadStackTenants } from '../infra/stack-tenants';
import { stackConfigValues, stackFilePath } from '../infra/stack-values';
import { parseStackConfig, StackConfig, StackConfigError } from '../infra/config';
import { nodePoolTaints } from '../infra/cluster-facts';
import { edgeIdleTimeout } from '../infra/edge-idle-timeout';
import { fluxArtifact } from '../infra/flux-artifact';
import { docrPullRegistry } from '../infra/pull-secrets';

export { stackConfigValues, stackFilePath } from '../infra/stack-values';

/** What synth needs of a stack. */
export interface SynthStack {
  readonly stack: string;
  readonly file: string;
  readonly config: StackConfig;
  /** The stack's tenant list (tenantscale:tenantsFile, resolved against the stack file's directory). */
  readonly tenantsFile: string;
  /** The tenants this stack serves, in file order. */
  readonly tenants: TenantSpec[];
  /** What the stack's node pools did not let the rules check, as `pulumi up` warns it. */
  readonly unchecked: readonly string[];
  /** The tenant settings the stack's components allow (no ServiceMonitor without monitoring, …). */
  readonly settings: PlatformSettings;
  /** The shared edge (EnvoyProxy, Gateway) as `pulumi up` builds it for this stack. */
  readonly platformObjects: PlatformObjectsProps;
  /** The platform namespaces' NetworkPolicies as `pulumi up` applies them; undefined with `platformNetworkPolicies: false`. */
  readonly platformPolicies?: Omit<PlatformNetworkPoliciesProps, 'settings'>;
  /** Flux mode: the shard count and the Flux objects; undefined in pulumi mode. */
  readonly flux?: { readonly shards: number; readonly delivery: Manifest[] };
}

/** What a refused `synth --stack` did not do: synth never deploys, and writes nothing when it refuses. */
const SYNTH_OUTCOME = 'nothing was written';

/**
 * Reads and checks a stack for synth. Throws with the file, key and fix (and "nothing was written").
 * `maxTenants` (synth's `--max-tenants`) overrides the stack's `tenantscale:limits.maxTenants`.
 */
export function readSynthStack(stackArg: string, cwd = process.cwd(), options: { readonly maxTenants?: number } = {}): SynthStack {
  try {
    return readStack(stackArg, cwd, options);
  } catch (err) {
    if (err instanceof StackConfigError) throw new StackConfigError(err.problems, SYNTH_OUTCOME);
    if (err instanceof StackSelectionError) throw new StackSelectionError(err.problems, SYNTH_OUTCOME);
    throw err;
  }
}

function readStack(stackArg: string, cwd: string, options: { readonly maxTenants?: number }): SynthStack {
  const file = stackFilePath(stackArg, cwd);
  if (!existsSync(file)) throw new Error(`--stack ${stackArg}: ${file} does not exist; allowed: a stack name with a Pulumi.<name>.yaml here, or its path; fix: pulumi stack init <name>`);
  const size = statSync(file).size;
  if (size > MAX_STACK_FILE_BYTES) throw new Error(`${file}: ${size} bytes; allowed: at most ${MAX_STACK_FILE_BYTES}`);
  const stack = basename(file).replace(/^Pulumi\./, '').replace(/\.ya?ml$/, '');
  // The token is the program's concern, not synth's: pretend it is set.
  const config = parseStackConfig(stackConfigValues(readFileSync(file, 'utf8'), file), true);
  // The one rule set `pulumi up` runs (infra/stack-tenants.ts): partition, selector, node pools.
  const { tenants, unchecked, tenantsFile } = loadStackTenants(config, dirname(file), options.maxTenants);
  const settings: PlatformSettings = {
    // The stack's HTTPS: tenant domain and issuer, as the Pulumi program resolves them.
    ...platformTlsSettings(DEFAULT_PLATFORM_SETTINGS, config.tls, config.clusterMode === 'kubeconfig'),
    // The one-deploy HTTPScaledObject migration, as infra/index.ts passes it to the Platform.
    httpScaledObjectMigration: config.httpScaledObjectMigration,
    serviceMonitors: DEFAULT_PLATFORM_SETTINGS.serviceMonitors && config.monitoring.enabled,
    verticalPodAutoscalers: DEFAULT_PLATFORM_SETTINGS.verticalPodAutoscalers && config.components.verticalPodAutoscaler.enabled,
    nodePoolTaints: nodePoolTaints(config),
  };
  const platformObjects = stackPlatformObjects(config, tenants);
  const platformPolicies = stackPlatformPolicies(config);
  if (config.tenantDelivery !== 'flux') return { stack, file, config, tenantsFile, tenants, unchecked, settings, platformObjects, platformPolicies };
  const keda = config.components.keda.enabled;
  // The FluxInstance first (as Pulumi creates it first), then the source, gate and shards.
  const delivery = [fluxInstanceManifest({ size: config.flux.size }), ...tenantDeliveryManifests({
    artifact: fluxArtifact(config),
    shards: config.flux.shards,
    interval: config.flux.interval,
    secretName: config.flux.secretName ?? (docrPullRegistry(config) !== undefined ? PULL_SECRET_NAME : undefined),
    healthChecks: platformHealthChecks(settings, {
      keda,
      kedaHttpAddon: keda && config.components.kedaHttpAddon.enabled,
      envoyGateway: config.components.envoyGateway.enabled,
      certManager: config.components.certManager.enabled,
    }),
  })];
  return { stack, file, config, tenantsFile, tenants, unchecked, settings, platformObjects, platformPolicies, flux: { shards: config.flux.shards, delivery } };
}

/**
 * The EnvoyProxy and Gateway options the Pulumi program passes for this stack (infra/index.ts →
 * Platform → EnvoyGateway `objects`): in doks mode the DigitalOcean load balancer with the idle
 * timeout `pulumi up` sets (the longest route timeout unless configured, infra/config.ts
 * `edgeIdleTimeout`; a configured value below a route is refused here as there), in kubeconfig mode
 * a ClusterIP Service. So `check` on `synth --stack` output sees the load-balancer hop of the
 * cold-start chain that CrossGuard sees under `pulumi preview`.
 */
export function stackPlatformObjects(config: StackConfig, tenants: readonly TenantSpec[]): PlatformObjectsProps {
  const gateway = config.gateway;
  const common = { listenerPort: gateway.port, listenerHostname: gateway.hostname, proxyReplicas: gateway.proxyReplicas };
  if (config.clusterMode !== 'doks') return { ...common, serviceType: 'ClusterIP' };
  const edge = edgeIdleTimeout(gateway.loadBalancer.httpIdleTimeoutSeconds, tenants);
  if (edge.problem) throw new StackConfigError([edge.problem]);
  return { ...common, serviceType: 'LoadBalancer', loadBalancer: { ...gateway.loadBalancer, httpIdleTimeoutSeconds: edge.seconds } };
}

/**
 * The platform NetworkPolicies' options as the Pulumi program builds them for this stack
 * (constructs/platform/platform.ts): a namespace only where the stack installs its chart (cert-manager
 * only with tls), the Gateway's listener ports. Undefined with `platformNetworkPolicies: false`.
 */
export function stackPlatformPolicies(config: StackConfig): Omit<PlatformNetworkPoliciesProps, 'settings'> | undefined {
  if (!config.platformNetworkPolicies) return undefined;
  const c = config.components;
  const keda = c.keda.enabled;
  return {
    toggles: {
      keda,
      kedaHttpAddon: keda && c.kedaHttpAddon.enabled,
      envoyGateway: c.envoyGateway.enabled,
      certManager: config.tls.enabled && c.certManager.enabled,
      verticalPodAutoscaler: c.verticalPodAutoscaler.enabled,
      vpaAdmissionController: c.verticalPodAutoscaler.admissionController,
      monitoring: config.monitoring.enabled,
    },
    listenerPorts: platformListenerPorts(config.gateway.port, platformTlsSettings(DEFAULT_PLATFORM_SETTINGS, config.tls, config.clusterMode === 'kubeconfig')),
  };
}
