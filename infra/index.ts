/**
 * The tenantscale Pulumi program (Pulumi.yaml `main`). One `pulumi up` creates, on an empty
 * DigitalOcean account or an existing cluster, everything of the lesson: the cluster with
 * autoscaled node pools (doks mode), metrics-server, KEDA, the KEDA HTTP add-on, Envoy Gateway
 * with one shared Gateway, the VPA recommender, kube-prometheus-stack, and every tenant of the
 * tenant list. Configuration: infra/config.ts. Order: docs/architecture.md.
 */
import * as digitalocean from '@pulumi/digitalocean';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { DNS_TOKEN_SECRET } from '../constructs/platform/cert-manager-objects';
import { DoksCluster } from '../constructs/platform/doks-cluster';
import { DEFAULT_TLS_SETTINGS } from '../constructs/platform-settings';
import { ownCertificateHosts } from '../constructs/tenant-tls';
import { Platform } from '../constructs/platform/platform';
import { configMapReferences, secretReferences } from '../constructs/platform/tenant-workloads';
import { DEFAULT_PLATFORM_SETTINGS } from '../constructs/platform-settings';
import { billedFixedItems } from '../core/prices';
import { formatProblem, TenantListError } from '../tenants/problem';
import { RegistryCredentials } from '../constructs/platform/registry-credentials';
import { PROJECT, readStackConfig, StackConfigError } from './config';
import { nodePoolTaints } from './cluster-facts';
import { edgeIdleTimeout } from './edge-idle-timeout';
import { fluxArtifact } from './flux-artifact';
import { checkPullSecrets, docrPullRegistry } from './pull-secrets';
import { checkTenantConfigMaps, checkTenantSecrets } from './tenant-references';
import { localPlacementWarnings } from './local-placement';
import { loadStackTenants } from './stack-tenants';

// ---- everything that can be wrong is checked before the first resource is registered -------
const config = readStackConfig();
let tenants;
try {
  // The one rule set synth --stack and plan --stack run too (infra/stack-tenants.ts): every stack
  // file of the repository partitions its environment's tenants; this stack serves those its
  // selector picks, checked against its node pools.
  const served = loadStackTenants(config, process.cwd());
  tenants = served.tenants;
  for (const line of served.unchecked) pulumi.log.warn(line);
  if (config.clusterMode === 'kubeconfig') for (const w of localPlacementWarnings(tenants)) pulumi.log.warn(w);
} catch (err) {
  if (!(err instanceof TenantListError)) throw err;
  throw new StackConfigError([
    {
      key: 'tenantscale:tenantsFile',
      value: config.tenantsFile,
      message: err.problems.map(formatProblem).join('; '),
      allowed: 'a tenant list that `tenantscale validate` accepts',
      fix: `fix the problems listed, check them with \`npx tenantscale synth --stack ${pulumi.getStack()}\` (the same rules), then run pulumi up again`,
    },
  ]);
}

const references = tenants.flatMap((t) => secretReferences(t).map((r) => ({ tenant: t.name, ...r })));
const secretCheck = checkTenantSecrets(config.tenantSecrets, references);
if (secretCheck.problems.length > 0) throw new StackConfigError(secretCheck.problems);
for (const m of secretCheck.missing) {
  const uses = [...new Set(references.filter((r) => r.tenant === m.tenant && r.secret === m.secret && r.key === m.key).map((r) => r.use))];
  const trigger = uses.some((u) => u.startsWith('triggers'));
  pulumi.log.warn(
    `tenant "${m.tenant}" reads Secret "${m.secret}" key "${m.key}" (${uses.join(', ')}), which this stack does not create; ` +
      (trigger ? 'KEDA cannot authenticate to the queue, so it reads no lag and the worker never wakes until it exists. ' : 'its pods wait until it exists. ') +
      `Set it with: pulumi config set --secret --path 'tenantscale:tenantSecrets.${m.tenant}.${m.secret}.${m.key}' <value> ` +
      `(or create it in namespace tenant-${m.tenant} yourself)`,
  );
}
// ConfigMaps tenants reference (the placeholder page): created from tenantConfigMaps, or warned about.
const configMapRefs = tenants.flatMap((t) => configMapReferences(t).map((r) => ({ tenant: t.name, ...r })));
const configMapCheck = checkTenantConfigMaps(config.tenantConfigMaps, configMapRefs);
if (configMapCheck.problems.length > 0) throw new StackConfigError(configMapCheck.problems);
for (const m of configMapCheck.missing) {
  pulumi.log.warn(
    `tenant "${m.tenant}" serves its placeholder from ConfigMap "${m.configMap}"${m.key !== undefined ? ` key "${m.key}"` : ''} (${m.use}), which this stack does not create; ` +
      'until it exists (labelled http.keda.sh/response-body: "true") the interceptor has no body to answer with while the tenant wakes. ' +
      `Set it with: pulumi config set --path 'tenantscale:tenantConfigMaps.${m.tenant}.${m.configMap}.${m.key ?? 'index.html'}' <text> ` +
      `(or create it in namespace tenant-${m.tenant} yourself, or use coldStart.placeholder.body)`,
  );
}

// The edge closes the cold-start chain: the load balancer's idle timeout covers every route's
// timeout (set from the longest one unless configured, and then checked).
const edge = edgeIdleTimeout(config.gateway.loadBalancer.httpIdleTimeoutSeconds, tenants);
if (edge.problem) throw new StackConfigError([edge.problem]);
// Registry credentials: every tenant's imagePullSecret is one the stack defines (or, when it
// defines none, one created outside Pulumi).
const pullUses = tenants.flatMap((t) => (t.imagePullSecret !== undefined ? [{ tenant: t.name, secret: t.imagePullSecret, image: t.image }] : []));
const pullCheck = checkPullSecrets(config, pullUses);
if (pullCheck.problems.length > 0) throw new StackConfigError(pullCheck.problems);
for (const m of pullCheck.missing) {
  pulumi.log.warn(
    `tenant "${m.tenant}" pulls its image with imagePullSecret "${m.secret}", which this stack does not create; its pods cannot pull a private image until it exists. ` +
      (config.tenantDelivery === 'flux'
        ? `Create it in namespace tenant-${m.tenant} with your secret manager (Flux creates the namespace).`
        : config.clusterMode === 'kubeconfig'
          ? `Set it with: pulumi config set --secret --path '${PROJECT}:registryCredentials.${m.secret}.dockerConfigJson' <docker config JSON> (DigitalOcean credentials in kubeconfig mode need a DigitalOcean token; or create it in namespace tenant-${m.tenant} yourself)`
          : `Set it with: pulumi config set --path '${PROJECT}:registryCredentials.${m.secret}.digitalOceanRegistry' <registry> (or create it in namespace tenant-${m.tenant} yourself)`),
  );
}
for (const o of pullCheck.otherRegistry) {
  pulumi.log.warn(
    `tenant "${o.tenant}" pulls ${o.image} with imagePullSecret "${o.secret}", whose credentials open only registry.digitalocean.com/${o.registry}/; ` +
      `move the image there or name other credentials`,
  );
}

if (config.tls.enabled && config.clusterMode === 'doks' && config.dnsToken === undefined) {
  pulumi.log.warn(
    `tenantscale:dnsToken is not set: the wildcard certificate *.${config.tls.tenantDomain} (DNS-01) waits until Secret ${DNS_TOKEN_SECRET.name} ` +
      `(key ${DNS_TOKEN_SECRET.key}) exists in namespace cert-manager. Set it with: pulumi config set --secret tenantscale:dnsToken <DigitalOcean token>`,
  );
}

// Customers' own domains are served through ListenerSets (docs/tls.md). With the cluster's Gateway
// API CRDs (DOKS manages its own set) the ListenerSet CRD may be missing: say so before apply fails.
const withListenerSets = config.tls.enabled ? tenants.filter((t) => t.tls && ownCertificateHosts(t.hosts, { ...DEFAULT_TLS_SETTINGS, tenantDomain: config.tls.tenantDomain }).length > 0) : [];
if (config.gatewayApiCrds === 'cluster' && withListenerSets.length > 0) {
  pulumi.log.warn(
    `${withListenerSets.length === 1 ? 'tenant' : 'tenants'} ${withListenerSets.map((t) => `"${t.name}"`).join(', ')} ${withListenerSets.length === 1 ? 'serves' : 'serve'} hosts outside *.${config.tls.tenantDomain} ` +
      'through a ListenerSet (gateway.networking.k8s.io/v1, Gateway API v1.5+ standard channel); with gatewayApiCrds = cluster the cluster must serve it. ' +
      'Check: kubectl get crd listenersets.gateway.networking.k8s.io (see docs/tls.md, "Limits")',
  );
}

// ---- the cluster and a provider for it -------------------------------------------------------
let cluster: DoksCluster | undefined;
let provider: k8s.Provider;
if (config.clusterMode === 'doks') {
  cluster = new DoksCluster('cluster', {
    name: config.clusterName,
    region: config.region!,
    versionPrefix: config.kubernetesVersionPrefix,
    nodePools: config.nodePools,
    ha: config.ha,
    autoUpgrade: config.autoUpgrade,
    surgeUpgrade: config.surgeUpgrade,
    maintenanceWindow: config.maintenanceWindow,
    autoscaler: config.clusterAutoscaler,
    protect: config.protectCluster,
    tags: config.tags,
    ...(config.clusterSubnet !== undefined ? { clusterSubnet: config.clusterSubnet } : {}),
    ...(config.serviceSubnet !== undefined ? { serviceSubnet: config.serviceSubnet } : {}),
  });
  provider = new k8s.Provider('doks', {
    kubeconfig: cluster.kubeconfig,
    // The token inside the kubeconfig changes on every run; only a new cluster replaces the provider.
    clusterIdentifier: cluster.clusterId,
    enableServerSideApply: true,
  });
} else {
  provider = new k8s.Provider('cluster', {
    // Unset: KUBECONFIG or ~/.kube/config, like kubectl.
    ...(config.kubeconfig ? { kubeconfig: config.kubeconfig } : {}),
    ...(config.kubeContext ? { context: config.kubeContext } : {}),
    enableServerSideApply: true,
  });
}

// ---- how the tenants are delivered -----------------------------------------------------------
// flux mode: read-only pull credentials for a DigitalOcean Container Registry artifact (one
// resource, whatever the tenant count).
const registry = docrPullRegistry(config);
const pullCredentials =
  registry !== undefined ? new digitalocean.ContainerRegistryDockerCredentials('flux-artifact-pull', { registryName: registry, write: false }) : undefined;

// Pull Secrets of the tenants' private images: read-only DOCR credentials rotated every
// rotationDays (RegistryCredentials), or a docker config from secret config. Only the ones a
// tenant of this stack names.
const named = new Set(pullUses.map((u) => u.secret));
const registryCredentials =
  config.tenantDelivery === 'pulumi' && named.size > 0
    ? new RegistryCredentials('registry', {
        sources: Object.fromEntries(
          Object.entries(config.registryCredentials)
            .filter(([name]) => named.has(name))
            .map(([name, c]) => [name, c.digitalOceanRegistry !== undefined ? { digitalOceanRegistry: c.digitalOceanRegistry, rotationDays: c.rotationDays } : { dockerConfigJson: c.dockerConfigJson! }]),
        ),
      })
    : undefined;

// ---- the platform and the tenants --------------------------------------------------------------
const platform = new Platform(
  'tenantscale',
  {
    tenants,
    settings: { ...DEFAULT_PLATFORM_SETTINGS, httpScaledObjectMigration: config.httpScaledObjectMigration, nodePoolTaints: nodePoolTaints(config) },
    mode: config.clusterMode,
    gatewayApiCrds: config.gatewayApiCrds,
    metricsServer: config.components.metricsServer,
    keda: config.components.keda,
    kedaHttpAddon: config.components.kedaHttpAddon,
    envoyGateway: config.components.envoyGateway,
    certManager: config.components.certManager,
    tls: { ...config.tls, dnsToken: config.dnsToken === undefined ? undefined : pulumi.secret(config.dnsToken) },
    verticalPodAutoscaler: config.components.verticalPodAutoscaler,
    monitoring: {
      ...config.monitoring,
      nodePools: config.clusterMode === 'doks' ? config.nodePools : [],
      // What simulate prices besides the nodes, from the same function (DigitalOcean prices apply on DOKS only).
      billedItems: config.clusterMode === 'doks' ? billedFixedItems(config) : undefined,
    },
    gateway: config.clusterMode === 'doks' ? { ...config.gateway, loadBalancer: { ...config.gateway.loadBalancer, httpIdleTimeoutSeconds: edge.seconds } } : config.gateway,
    tenantSecrets: config.tenantSecrets,
    tenantConfigMaps: config.tenantConfigMaps,
    registryCredentials: registryCredentials?.dockerConfigJsons,
    tenantDelivery: config.tenantDelivery,
    platformNetworkPolicies: config.platformNetworkPolicies,
    flux:
      config.tenantDelivery === 'flux'
        ? {
            artifact: fluxArtifact(config),
            shards: config.flux.shards,
            interval: config.flux.interval,
            size: config.flux.size,
            dockerConfigJson: pullCredentials?.dockerCredentials,
            secretName: config.flux.secretName,
          }
        : undefined,
  },
  { providers: { kubernetes: provider } },
);

// ---- stack outputs ------------------------------------------------------------------------------
const interceptor = DEFAULT_PLATFORM_SETTINGS.interceptor;
export const clusterMode = config.clusterMode;
export const clusterName = cluster ? cluster.clusterName : config.kubeContext ?? 'current kubeconfig context';
export const clusterId = cluster ? cluster.clusterId : undefined;
export const kubernetesVersion = cluster ? cluster.version : undefined;
export const gatewayAddress = platform.gatewayAddress;
export const tenantUrls = platform.tenantUrls;
/** When each DOCR pull credential expires (a `pulumi up` in each rotation window replaces it first). */
export const registryCredentialsExpireAt = registryCredentials?.expiresAt;
/** `pulumi stack output kubeconfig --show-secrets > kubeconfig.yaml` (valid for seven days). */
export const kubeconfig = cluster ? cluster.kubeconfig : undefined;
/** Local clusters have no load balancer: reach tenants through the interceptor. */
export const localAccess =
  config.clusterMode === 'kubeconfig'
    ? `kubectl port-forward -n ${interceptor.namespace} svc/${interceptor.service} 8080:${interceptor.port}; ` +
      `curl -H "Host: <tenant host>" http://localhost:8080/`
    : undefined;
