/**
 * `tenantscale synth --stack <name|file>`: synthesizes what one stack (cluster) serves. Reads
 * `Pulumi.<name>.yaml` offline (no Pulumi CLI, no credentials), checks that the repository's
 * stacks partition the tenants, keeps the tenants the stack's `tenantSelector` picks, and in flux
 * mode also returns the shard layout and the Flux objects the Pulumi program applies (the same
 * construct, so the reviewed file is what is deployed). Loaded only with `--stack`: it brings
 * zod's stack schema and the Pulumi SDK, which plain `synth` does not need.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { Manifest } from '../constructs/manifests';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from '../constructs/platform-settings';
import { platformHealthChecks } from '../constructs/platform/platform-health-checks';
import { platformTlsSettings } from '../constructs/platform/platform';
import { PlatformObjectsProps } from '../constructs/platform/platform-objects';
import { PULL_SECRET_NAME, tenantDeliveryManifests } from '../constructs/platform/tenant-delivery-objects';
import { TenantSpec } from '../tenants/schema';
import { MAX_STACK_FILE_BYTES } from '../infra/stack-selection';
import { loadStackTenants } from '../infra/stack-tenants';
import { docrPullRegistry, edgeIdleTimeout, ENCRYPTED_VALUE, fluxArtifact, nodePoolTaints, parseStackConfig, PROJECT, StackConfig, StackConfigError } from '../infra/config';

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
  /** Flux mode: the shard count and the Flux objects; undefined in pulumi mode. */
  readonly flux?: { readonly shards: number; readonly delivery: Manifest[] };
}

/** `dev` → ./Pulumi.dev.yaml; a path ending in .yaml is used as is. */
export function stackFilePath(stack: string, cwd = process.cwd()): string {
  if (/\.ya?ml$/.test(stack)) return isAbsolute(stack) ? stack : resolve(cwd, stack);
  return resolve(cwd, `Pulumi.${stack}.yaml`);
}

/** The stack's `tenantscale:*` values as the Pulumi runtime would pass them (namespace removed). */
export function stackConfigValues(text: string, file: string): Record<string, unknown> {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(`${file}: not valid YAML (${doc.errors[0].message})`);
  const data = doc.toJS({ maxAliasCount: 0 }) as { config?: Record<string, unknown> } | null;
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data?.config ?? {})) {
    // Encrypted values (`secure:`) stay encrypted and unread: synth never needs a secret.
    if (key.startsWith(`${PROJECT}:`) && key !== `${PROJECT}:tenantSecrets` && key !== `${PROJECT}:dnsToken`) raw[key.slice(PROJECT.length + 1)] = unreadSecure(value);
  }
  return raw;
}

/** `value` with every encrypted leaf (`{secure: …}`, as `pulumi config set --secret --path` writes it) replaced by ENCRYPTED_VALUE. */
function unreadSecure(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(unreadSecure);
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'secure' && typeof (value as { secure: unknown }).secure === 'string') return ENCRYPTED_VALUE;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unreadSecure(v)]));
}

/** Reads and checks a stack for synth. Throws with the file, key and fix. */
export function readSynthStack(stackArg: string, cwd = process.cwd()): SynthStack {
  const file = stackFilePath(stackArg, cwd);
  if (!existsSync(file)) throw new Error(`--stack ${stackArg}: ${file} does not exist; allowed: a stack name with a Pulumi.<name>.yaml here, or its path; fix: pulumi stack init <name>`);
  const size = statSync(file).size;
  if (size > MAX_STACK_FILE_BYTES) throw new Error(`${file}: ${size} bytes; allowed: at most ${MAX_STACK_FILE_BYTES}`);
  const stack = basename(file).replace(/^Pulumi\./, '').replace(/\.ya?ml$/, '');
  // The token is the program's concern, not synth's: pretend it is set.
  const config = parseStackConfig(stackConfigValues(readFileSync(file, 'utf8'), file), true);
  // The one rule set `pulumi up` runs (infra/stack-tenants.ts): partition, selector, node pools.
  const { tenants, unchecked, tenantsFile } = loadStackTenants(config, dirname(file));
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
  if (config.tenantDelivery !== 'flux') return { stack, file, config, tenantsFile, tenants, unchecked, settings, platformObjects };
  const keda = config.components.keda.enabled;
  const delivery = tenantDeliveryManifests({
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
  });
  return { stack, file, config, tenantsFile, tenants, unchecked, settings, platformObjects, flux: { shards: config.flux.shards, delivery } };
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
