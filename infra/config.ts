/**
 * The stack configuration: every `tenantscale:*` key of a Pulumi stack, typed and validated before
 * a single resource is registered. `parseStackConfig` is pure (raw values in, typed config or a
 * `StackConfigError` naming every bad key out); `readStackConfig` feeds it from the Pulumi runtime.
 *
 *   pulumi config set tenantscale:region fra1
 *   pulumi config set --path 'tenantscale:nodePools[0].max' 8
 *   pulumi config set --secret digitalocean:token dop_v1_…     (or export DIGITALOCEAN_TOKEN)
 */
import * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import { CHARTS, SUPPORTED_KUBERNETES_MINORS } from '../constructs/platform/versions';
import { DEFAULT_TLS_SETTINGS } from '../constructs/platform-settings';
import { MAX_SHARDS } from '../constructs/platform/tenant-shards';
import { tenantSelectorSchema } from './tenant-selector';
import { DO_LB_IDLE_TIMEOUT } from '../constructs/platform/do-load-balancer';
import { formatNetwork, overlaps, parseCidr } from '../tenants/rules/egress';
import { dockerConfigJsonReason } from './docker-config-json';
import { DEFAULT_MAX_TENANTS } from '../tenants/read';

/** The Pulumi project name, which is also the config namespace (`tenantscale:<key>`). */
export const PROJECT = 'tenantscale';

/** DigitalOcean regions that offer Kubernetes. */
export const DOKS_REGIONS = ['nyc1', 'nyc3', 'sfo2', 'sfo3', 'ams3', 'sgp1', 'lon1', 'fra1', 'tor1', 'blr1', 'syd1', 'atl1'] as const;

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const SECRET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const SEMVER = /^\d+\.\d+\.\d+$/;
const V_SEMVER = /^v\d+\.\d+\.\d+$/;

/** What a refused key accepts and how to fix it; quoted by every error. */
interface KeyHint {
  readonly allowed: string;
  readonly fix: string;
}
const hints = z.registry<KeyHint>();
function hinted<T extends z.ZodType>(schema: T, hint: KeyHint): T {
  hints.add(schema, hint);
  return schema;
}

const bool = (fallback: boolean, key: string) =>
  hinted(z.boolean().default(fallback), { allowed: 'true or false', fix: `pulumi config set ${PROJECT}:${key} ${fallback}` });

const chartVersion = (key: string, pinned: string) =>
  hinted(z.string().regex(pinned.startsWith('v') ? V_SEMVER : SEMVER).default(pinned), {
    allowed: pinned.startsWith('v') ? 'a chart version with its leading v, e.g. "v1.9.0"' : 'a chart version MAJOR.MINOR.PATCH, e.g. "2.20.2"',
    fix: `remove ${key} to use the pinned ${pinned}, or set a published version`,
  });

const component = <T extends z.ZodRawShape>(key: string, pinned: string, extra: T) =>
  z
    .strictObject({ enabled: bool(true, `${key}.enabled`), version: chartVersion(`${key}.version`, pinned), ...extra })
    // Every field has a default, so an absent block is the empty block.
    .prefault({} as never);

const taintSchema = z.strictObject({
  key: hinted(z.string().regex(LABEL_KEY), { allowed: 'a label-style key, e.g. "workload"', fix: 'rename the taint key' }),
  value: hinted(z.string().regex(LABEL_VALUE).default(''), { allowed: 'a label value (63 characters, alphanumeric ends)', fix: 'shorten or simplify the value' }),
  effect: hinted(z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']), {
    allowed: 'NoSchedule, PreferNoSchedule or NoExecute',
    fix: 'use NoSchedule to reserve the pool for pods that tolerate it',
  }),
});

const nodePoolSchema = z.strictObject({
  name: hinted(z.string().regex(DNS_LABEL).max(63), { allowed: 'a DNS label, e.g. "default" or "memory"', fix: 'rename the pool' }),
  size: hinted(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)+$/), {
    allowed: 'a Droplet size slug, e.g. "s-2vcpu-4gb" (see `doctl kubernetes options sizes`)',
    fix: 'set the slug of the Droplet size',
  }),
  // DOKS autoscaled pools may scale to 0 nodes (docs.digitalocean.com/products/kubernetes/how-to/autoscale
  // "Minimum Nodes … greater than or equal to 0"; digitalocean/terraform-provider-digitalocean@v2.99.1
  // digitalocean/kubernetes/resource_kubernetes_node_pool_test.go:96 TestAccDigitalOceanKubernetesNodePool_MinNodesZero).
  // The first pool (the cluster's own, running KEDA, the interceptor and Envoy) keeps ≥ 1: see parseStackConfig.
  min: hinted(z.number().int().min(0), {
    allowed: 'an integer ≥ 0 (0 lets an extra pool be empty; the first pool keeps at least 1)',
    fix: 'set min to 1, or 0 on an extra pool whose tenants may wait for a node boot',
  }),
  max: hinted(z.number().int().min(1).max(100), { allowed: 'an integer from min to 100', fix: 'set max ≥ min' }),
  labels: hinted(z.record(z.string().regex(LABEL_KEY), z.string().regex(LABEL_VALUE)).default({}), {
    allowed: 'a mapping of Kubernetes label keys to label values',
    fix: 'use keys like "workload" or "example.com/tier" and values of at most 63 characters',
  }),
  taints: z.array(taintSchema).default([]),
});

const DEFAULT_NODE_POOLS = [{ name: 'default', size: 's-2vcpu-4gb', min: 1, max: 5, labels: {}, taints: [] }];

const loadBalancerSchema = z
  .strictObject({
    name: hinted(z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/).max(255).optional(), {
      allowed: 'lowercase letters, digits, "-" and "."',
      fix: 'rename the load balancer, e.g. "tenantscale-gateway"',
    }),
    sizeUnit: hinted(z.number().int().min(1).max(100).optional(), { allowed: 'an integer from 1 to 100 (load-balancer nodes, each billed)', fix: 'set 1 unless you need more than ~10k requests per second' }),
    type: hinted(z.enum(['REGIONAL', 'REGIONAL_NETWORK']).optional(), { allowed: 'REGIONAL or REGIONAL_NETWORK', fix: 'remove it to keep REGIONAL_NETWORK' }),
    network: hinted(z.enum(['EXTERNAL', 'INTERNAL']).optional(), { allowed: 'EXTERNAL or INTERNAL', fix: 'use EXTERNAL for a public address' }),
    algorithm: hinted(z.enum(['round_robin', 'least_connections']).optional(), { allowed: 'round_robin or least_connections', fix: 'remove it to keep round_robin' }),
    enableProxyProtocol: hinted(z.boolean().optional(), { allowed: 'true or false', fix: 'remove it unless Envoy is configured for PROXY protocol' }),
    httpIdleTimeoutSeconds: hinted(z.number().int().min(DO_LB_IDLE_TIMEOUT.minSeconds).max(DO_LB_IDLE_TIMEOUT.maxSeconds).optional(), {
      allowed: `an integer from ${DO_LB_IDLE_TIMEOUT.minSeconds} to ${DO_LB_IDLE_TIMEOUT.maxSeconds} (DigitalOcean's range), at least the longest tenant route timeout`,
      fix: 'remove it: the program sets it from the longest route timeout of the tenants it serves',
    }),
    hostname: hinted(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/).optional(), {
      allowed: 'a DNS name such as "lb.example.com"',
      fix: 'write the bare hostname',
    }),
  })
  .prefault({});

/**
 * What offline readers of a stack file (synth --stack, the deploy workflow) put in place of an
 * encrypted value (`secure: …`) they do not decrypt; its content is checked by `pulumi up` only.
 */
export const ENCRYPTED_VALUE = '<encrypted: checked by pulumi up>';

/** Default days between rotations of DigitalOcean Container Registry pull credentials (they live twice as long). */
export const DEFAULT_ROTATION_DAYS = 7;

/**
 * One entry of `tenantscale:registryCredentials`: where the pull Secret of that name gets its
 * docker config. Exactly one of the two sources (checked in parseStackConfig).
 */
const registryCredentialSchema = z.strictObject({
  digitalOceanRegistry: hinted(z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/).optional(), {
    allowed: 'the name of a DigitalOcean Container Registry (lowercase letters, digits and "-"), as in registry.digitalocean.com/<name>/…',
    fix: 'run `doctl registry get` and use its name',
  }),
  rotationDays: hinted(z.number().int().min(1).max(90).default(DEFAULT_ROTATION_DAYS), {
    allowed: 'whole days from 1 to 90 between rotations (credentials live twice as long; run pulumi up at least this often)',
    fix: `e.g. ${DEFAULT_ROTATION_DAYS}, with a scheduled deploy at least weekly`,
  }),
  dockerConfigJson: hinted(z.string().min(1).optional(), {
    allowed: 'a docker config JSON {"auths": {"<registry host>": {"auth": "<base64 user:password>"}}}, set as a secret',
    fix: `pulumi config set --secret --path '${PROJECT}:registryCredentials.<name>.dockerConfigJson' "$(cat ~/.docker/config.json)" (a config without credsStore helpers)`,
  }),
});

/** `tenantscale:environment`: a DNS label (infra/stack-selection.ts groups stacks by it). */
const ENVIRONMENT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const stackSchema = z.strictObject({
  clusterMode: hinted(z.enum(['doks', 'kubeconfig']).default('doks'), {
    allowed: '"doks" (create a DigitalOcean cluster) or "kubeconfig" (use an existing cluster: kind, minikube, k3s, …)',
    fix: `pulumi config set ${PROJECT}:clusterMode doks`,
  }),
  clusterName: hinted(z.string().regex(DNS_LABEL).max(63).default('tenantscale'), { allowed: 'a DNS label of at most 63 characters', fix: 'rename the cluster, e.g. "tenantscale"' }),
  region: hinted(z.enum(DOKS_REGIONS).optional(), {
    allowed: `one of ${DOKS_REGIONS.join(', ')}`,
    fix: `pulumi config set ${PROJECT}:region fra1 (the region closest to your users)`,
  }),
  kubernetesVersionPrefix: hinted(z.string().regex(/^1\.\d{2}\.$/).default('1.35.'), {
    allowed: `a minor-version prefix with its trailing dot, 1.${SUPPORTED_KUBERNETES_MINORS.min}. to 1.${SUPPORTED_KUBERNETES_MINORS.max}. (what every pinned chart supports)`,
    fix: `pulumi config set ${PROJECT}:kubernetesVersionPrefix 1.35.`,
  }),
  ha: bool(false, 'ha'),
  autoUpgrade: bool(true, 'autoUpgrade'),
  surgeUpgrade: bool(true, 'surgeUpgrade'),
  maintenanceWindow: z
    .strictObject({
      day: hinted(z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'any']).default('sunday'), {
        allowed: 'a weekday in lowercase (monday … sunday) or "any"',
        fix: 'set the day with the least traffic, e.g. sunday',
      }),
      startTime: hinted(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).default('04:00'), { allowed: 'HH:MM in UTC, 24-hour clock', fix: 'e.g. "04:00"' }),
    })
    .prefault({}),
  clusterAutoscaler: z
    .strictObject({
      scaleDownUtilizationThreshold: hinted(z.number().gt(0).max(1).default(0.5), {
        allowed: 'a fraction above 0 and at most 1 (requested ÷ allocatable below which a node may be removed)',
        fix: 'e.g. 0.5 (the autoscaler default); higher packs nodes tighter',
      }),
      scaleDownUnneededTime: hinted(z.string().regex(/^\d+(s|m|h)$/).default('10m'), {
        allowed: 'a duration such as "5m", "10m" or "1h"',
        fix: 'e.g. "10m" (the autoscaler default)',
      }),
      expanders: hinted(z.array(z.enum(['random', 'priority', 'least-waste'])).optional(), {
        allowed: 'a list of random, priority, least-waste',
        fix: 'e.g. ["least-waste"]',
      }),
    })
    .prefault({}),
  nodePools: z.array(nodePoolSchema).min(1).default(DEFAULT_NODE_POOLS),
  protectCluster: bool(true, 'protectCluster'),
  // The cluster's pod and Service ranges (DigitalOcean KubernetesCluster clusterSubnet and
  // serviceSubnet, @pulumi/digitalocean 4.80.1): sent to DOKS when set (creation only: changing
  // them later replaces the cluster, which protectCluster refuses), and in either mode the ranges
  // tenant egress entries may not overlap (tenants/rules/egress.ts). Unset: DOKS_DEFAULT_CLUSTER_RANGES.
  clusterSubnet: hinted(z.string().optional(), {
    allowed: 'an IPv4 network in canonical CIDR notation, e.g. "10.244.0.0/16" (the cluster\'s pod network)',
    fix: `pulumi config set ${PROJECT}:clusterSubnet 10.244.0.0/16, or unset it for the DOKS default`,
  }),
  serviceSubnet: hinted(z.string().optional(), {
    allowed: 'an IPv4 network in canonical CIDR notation, e.g. "10.245.0.0/16" (the cluster\'s Service network)',
    fix: `pulumi config set ${PROJECT}:serviceSubnet 10.245.0.0/16, or unset it for the DOKS default`,
  }),
  // One deploy that moves HTTP tenants from HTTPScaledObject to InterceptorRoute + ScaledObject
  // (PlatformSettings.httpScaledObjectMigration; docs/architecture.md "Moving from HTTPScaledObject").
  httpScaledObjectMigration: bool(false, 'httpScaledObjectMigration'),
  tags: hinted(z.array(z.string().regex(/^[A-Za-z0-9:_-]{1,255}$/)).default(['tenantscale']), {
    allowed: 'a list of DigitalOcean tags (letters, digits, ":", "-", "_")',
    fix: 'e.g. ["tenantscale", "env:dev"]',
  }),
  kubeconfig: hinted(z.string().min(1).optional(), {
    allowed: 'a kubeconfig path or its contents (kubeconfig mode only)',
    fix: `remove it, or set ${PROJECT}:clusterMode kubeconfig`,
  }),
  kubeContext: hinted(z.string().min(1).optional(), {
    allowed: 'a context name from the kubeconfig (kubeconfig mode only)',
    fix: 'run `kubectl config get-contexts` and use one of the names',
  }),
  gatewayApiCrds: hinted(z.enum(['cluster', 'envoy-gateway']).optional(), {
    allowed: '"cluster" (the cluster provides them; DOKS 1.33+ does) or "envoy-gateway" (the Envoy Gateway chart installs them)',
    fix: 'use "cluster" on DOKS and "envoy-gateway" on kind, minikube or k3s',
  }),
  gateway: z
    .strictObject({
      port: hinted(z.number().int().min(1).max(65535).default(80), { allowed: 'an integer from 1 to 65535', fix: 'e.g. 80' }),
      hostname: hinted(z.string().regex(/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/).optional(), {
        allowed: 'a DNS name or wildcard, e.g. "*.tenants.example.com"',
        fix: 'remove it to accept every tenant host',
      }),
      proxyReplicas: hinted(z.number().int().min(1).max(20).default(2), { allowed: 'an integer from 1 to 20', fix: 'e.g. 2' }),
      loadBalancer: loadBalancerSchema,
    })
    .prefault({}),
  components: z
    .strictObject({
      metricsServer: component('components.metricsServer', CHARTS.metricsServer.version, {}),
      keda: component('components.keda', CHARTS.keda.version, {}),
      kedaHttpAddon: component('components.kedaHttpAddon', CHARTS.kedaHttpAddon.version, {
        interceptorMinReplicas: hinted(z.number().int().min(1).max(50).default(2), {
          allowed: 'an integer from 1 to 50',
          fix: 'e.g. 2: the interceptor is on every request path, keep it above 1',
        }),
        interceptorMaxReplicas: hinted(z.number().int().min(1).max(100).default(10), { allowed: 'an integer from 1 to 100', fix: 'e.g. 10' }),
      }),
      envoyGateway: component('components.envoyGateway', CHARTS.envoyGateway.version, {}),
      certManager: component('components.certManager', CHARTS.certManager.version, {}),
      verticalPodAutoscaler: component('components.verticalPodAutoscaler', CHARTS.verticalPodAutoscaler.version, {
        updater: bool(false, 'components.verticalPodAutoscaler.updater'),
        admissionController: bool(false, 'components.verticalPodAutoscaler.admissionController'),
      }),
    })
    .prefault({}),
  // HTTPS for the tenants (docs/tls.md).
  tls: z
    .strictObject({
      enabled: bool(true, 'tls.enabled'),
      tenantDomain: hinted(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/).default(DEFAULT_TLS_SETTINGS.tenantDomain), {
        allowed: 'the DNS zone (or a subdomain of it) whose names the tenants get, e.g. "tenants.example.com"; its zone must be on DigitalOcean DNS for the wildcard (DNS-01)',
        fix: `pulumi config set --path ${PROJECT}:tls.tenantDomain tenants.example.com`,
      }),
      email: hinted(z.email().optional(), {
        allowed: "an e-mail address for the Let's Encrypt account",
        fix: `pulumi config set --path ${PROJECT}:tls.email ops@example.com`,
      }),
      environment: hinted(z.enum(['production', 'staging']).default('production'), {
        allowed: '"production" (trusted certificates) or "staging" (untrusted, higher rate limits: for trying things out)',
        fix: `pulumi config set --path ${PROJECT}:tls.environment staging`,
      }),
    })
    .prefault({}),
  // DigitalOcean API token for DNS-01 (scopes: domain read/update); a top-level key so that an
  // encrypted value is one string (synth --stack skips it unread, like tenantSecrets).
  dnsToken: hinted(z.string().min(1).optional(), {
    allowed: 'a DigitalOcean API token with write access to the tenant domain\'s DNS zone, set as a secret',
    fix: `pulumi config set --secret ${PROJECT}:dnsToken <token>`,
  }),
  monitoring: z
    .strictObject({
      enabled: bool(true, 'monitoring.enabled'),
      version: chartVersion('monitoring.version', CHARTS.kubePrometheusStack.version),
      grafana: bool(true, 'monitoring.grafana'),
      alertmanager: bool(true, 'monitoring.alertmanager'),
      retention: hinted(z.string().regex(/^\d+(h|d|w)$/).default('7d'), { allowed: 'a Prometheus duration such as "24h", "7d" or "2w"', fix: 'e.g. "7d"' }),
    })
    .prefault({}),
  tenantSecrets: hinted(
    z.record(z.string().regex(DNS_LABEL), z.record(z.string().regex(SECRET_NAME), z.record(z.string().regex(SECRET_KEY), z.string()))).default({}),
    {
      allowed: 'tenant name → Secret name → key → value, set with `pulumi config set --secret --path`',
      fix: `pulumi config set --secret --path '${PROJECT}:tenantSecrets.<tenant>.<secret>.<key>' <value>`,
    },
  ),
  // ConfigMaps tenants reference (the placeholder body of coldStart.placeholder.configMap), plain
  // text: a ConfigMap holds at most 1 MiB (kubernetes/kubernetes pkg/apis/core/validation
  // ValidateConfigMap, MaxSecretSize).
  tenantConfigMaps: hinted(
    z.record(z.string().regex(DNS_LABEL), z.record(z.string().regex(SECRET_NAME).max(253), z.record(z.string().regex(SECRET_KEY), z.string().max(1024 * 1024)))).default({}),
    {
      allowed: 'tenant name → ConfigMap name → key → text (e.g. the placeholder page\'s index.html)',
      fix: `pulumi config set --path '${PROJECT}:tenantConfigMaps.<tenant>.<configMap>.<key>' <text>`,
    },
  ),
  registryCredentials: hinted(z.record(z.string().regex(SECRET_NAME).max(253), registryCredentialSchema).default({}), {
    allowed: 'pull Secret name → {digitalOceanRegistry: <registry>, rotationDays} (read-only DOCR credentials the stack creates) or {dockerConfigJson: <secret>} (a docker config from secret config)',
    fix: `pulumi config set --path '${PROJECT}:registryCredentials.docr.digitalOceanRegistry' <registry name>`,
  }),
  // Ingress default-deny NetworkPolicies for the platform namespaces (docs/platform-isolation.md);
  // false for a CNI that does not enforce them, or if one breaks a flow.
  platformNetworkPolicies: bool(true, 'platformNetworkPolicies'),
  tenantDelivery: hinted(z.enum(['pulumi', 'flux']).default('pulumi'), {
    allowed: '"pulumi" (every tenant object is a Pulumi resource; up to a few hundred tenants) or "flux" (Flux applies the published synth output; any number)',
    fix: `pulumi config set ${PROJECT}:tenantDelivery flux (see docs/scale.md)`,
  }),
  flux: z
    .strictObject({
      source: hinted(z.enum(['oci', 'git']).default('oci'), {
        allowed: '"oci" (an OCI artifact, e.g. on DigitalOcean Container Registry) or "git" (a branch)',
        fix: 'use "oci" unless you cannot run a registry',
      }),
      url: hinted(z.string().regex(/^(oci|https|ssh):\/\/[^\s]+$/).max(512).optional(), {
        allowed: 'oci://registry.digitalocean.com/<registry>/<repository> (source oci) or an https:// or ssh:// clone URL (source git)',
        fix: `pulumi config set --path ${PROJECT}:flux.url oci://registry.digitalocean.com/<registry>/tenantscale-tenants`,
      }),
      ref: hinted(z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._/-]{0,127}$/).optional(), {
        allowed: 'the OCI tag (default "latest") or the Git branch (default "tenantscale-dist") Flux follows',
        fix: 'remove it to use the default',
      }),
      shards: hinted(z.number().int().min(1).max(MAX_SHARDS).default(16), {
        allowed: `an integer from 1 to ${MAX_SHARDS} (one Flux Kustomization each)`,
        fix: 'e.g. 16 (about one shard per 100–500 tenants)',
      }),
      interval: hinted(z.string().regex(/^\d+(s|m|h)$/).default('1m'), { allowed: 'a duration such as "1m" or "5m"', fix: 'e.g. "1m"' }),
      size: hinted(z.enum(['small', 'medium', 'large']).default('medium'), {
        allowed: 'small, medium or large (kustomize-controller concurrency 5/10/20, memory 512Mi/1Gi/3Gi)',
        fix: 'use large from a few thousand tenants',
      }),
      secretName: hinted(z.string().regex(SECRET_NAME).max(253).optional(), {
        allowed: 'the name of a pull Secret you created in flux-system',
        fix: 'remove it on DOKS with a registry.digitalocean.com URL (the stack creates read-only credentials)',
      }),
    })
    .prefault({}),
  tenantSelector: hinted(tenantSelectorSchema.optional(), {
    allowed: 'a label selector over tenant labels: { matchLabels: {key: value}, matchExpressions: [{key, operator: In|NotIn|Exists|DoesNotExist, values}] }',
    fix: `e.g. pulumi config set --path '${PROJECT}:tenantSelector.matchLabels.region' eu`,
  }),
  limits: z
    .strictObject({
      // The reader's size limits (file, YAML content, aliases) scale with it: tenants/read.ts readLimits.
      maxTenants: hinted(z.number().int().min(1).default(DEFAULT_MAX_TENANTS), {
        allowed: `a whole number of tenants, at least 1 (default ${DEFAULT_MAX_TENANTS.toLocaleString('en-US')}); the file, content and alias limits scale with it (docs/tenant-input.md)`,
        fix: `pulumi config set --path ${PROJECT}:limits.maxTenants 100000`,
      }),
    })
    .prefault({}),
  environment: hinted(z.string().regex(ENVIRONMENT_NAME).max(63).optional(), {
    allowed: 'a name such as dev, staging or prod (lowercase letters, digits and dashes): the stacks of one environment partition its tenants; unset, the stacks reading the same tenant list form one environment',
    fix: `pulumi config set ${PROJECT}:environment prod`,
  }),
  tenantsFile: hinted(z.string().min(1).default('tenants/tenants.yaml'), {
    allowed: 'a path to the tenant list, relative to the project directory',
    fix: `pulumi config set ${PROJECT}:tenantsFile tenants/tenants.yaml`,
  }),
});

type Parsed = z.output<typeof stackSchema>;

/** The validated stack configuration. */
export type StackConfig = Omit<Parsed, 'gatewayApiCrds'> & {
  /** Resolved: `cluster` on DOKS, `envoy-gateway` elsewhere, unless set. */
  readonly gatewayApiCrds: 'cluster' | 'envoy-gateway';
};
export type NodePoolConfig = Parsed['nodePools'][number];

/** One refused key. */
export interface ConfigProblem {
  /** Full key as `pulumi config` names it, e.g. `tenantscale:nodePools[0].min`. */
  readonly key: string;
  readonly value?: unknown;
  readonly message: string;
  readonly allowed: string;
  readonly fix: string;
}

/**
 * Thrown before any resource is registered; lists every bad key. `outcome` says what did not
 * happen: `pulumi up` deployed nothing; `synth --stack`, which never deploys, wrote nothing.
 */
export class StackConfigError extends Error {
  constructor(
    readonly problems: readonly ConfigProblem[],
    readonly outcome = 'nothing was deployed',
  ) {
    super(
      `stack configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}; ${outcome}:\n` +
        problems
          .map((p) => `  - ${p.key}${p.value === undefined ? '' : ` = ${JSON.stringify(p.value)}`}: ${p.message} (allowed: ${p.allowed}; fix: ${p.fix})`)
          .join('\n'),
    );
    this.name = 'StackConfigError';
  }
}


/** Pulumi stores config values as strings; objects, lists, numbers and booleans as JSON. */
export function decodeConfigValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** `nodePools[0].min` from a zod path. */
function keyOf(path: readonly PropertyKey[]): string {
  let out = `${PROJECT}:`;
  path.forEach((part, i) => {
    out += typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`;
  });
  return out;
}

function schemaAt(path: readonly PropertyKey[]): z.ZodType | undefined {
  let s: any = stackSchema;
  for (const part of path) {
    while (s && ['default', 'prefault', 'optional', 'nullable'].includes(s._zod.def.type)) s = s._zod.def.innerType;
    if (!s) return undefined;
    const t = s._zod.def.type;
    if (t === 'object') s = s._zod.def.shape[part as string];
    else if (t === 'array') s = s._zod.def.element;
    else if (t === 'record') s = s._zod.def.valueType;
    else return undefined;
  }
  return s;
}

function hintFor(path: readonly PropertyKey[]): KeyHint | undefined {
  for (let s: any = schemaAt(path); s; s = s._zod.def.innerType) {
    const h = hints.get(s);
    if (h) return h;
  }
  // A list element or record entry is described by its nearest described ancestor (tags[0] → tags).
  return path.length > 0 ? hintFor(path.slice(0, -1)) : undefined;
}

function knownKeys(path: readonly PropertyKey[]): string[] {
  let s: any = path.length === 0 ? stackSchema : schemaAt(path);
  while (s && s._zod.def.innerType) s = s._zod.def.innerType;
  return s?._zod.def.type === 'object' ? Object.keys(s._zod.def.shape) : [];
}

/**
 * Validates raw `tenantscale:*` values (keys without the namespace, values decoded). `hasDoToken`
 * says whether `digitalocean:token` or DIGITALOCEAN_TOKEN / DIGITALOCEAN_ACCESS_TOKEN is set.
 */
export function parseStackConfig(raw: Record<string, unknown>, hasDoToken: boolean): StackConfig {
  const parsed = stackSchema.safeParse(raw, { reportInput: true });
  const problems: ConfigProblem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const known = knownKeys(issue.path);
        for (const k of issue.keys) {
          problems.push({
            key: keyOf([...issue.path, k]),
            message: 'unknown key (a typo would otherwise be ignored silently)',
            allowed: known.length ? `one of ${known.join(', ')}` : 'no keys here',
            fix: `pulumi config rm ${keyOf([...issue.path, k])}${issue.path.length ? ' --path' : ''}, or rename it`,
          });
        }
        continue;
      }
      // A refused record key is described by the record itself.
      const hint = hintFor(issue.code === 'invalid_key' ? issue.path.slice(0, -1) : issue.path);
      // Never echo a secret value into an error message or log.
      const input = issue.path[0] === 'tenantSecrets' || issue.path[0] === 'dnsToken' || issue.path.includes('dockerConfigJson') ? '<secret>' : (issue as { input?: unknown }).input;
      problems.push({
        key: keyOf(issue.path),
        value: input,
        message: input === undefined ? 'required key is missing' : issue.message,
        allowed: hint?.allowed ?? issue.message,
        fix: hint?.fix ?? `correct ${keyOf(issue.path)}`,
      });
    }
    throw new StackConfigError(problems);
  }
  const c = parsed.data;
  const add = (key: string, value: unknown, message: string, allowed: string, fix: string) =>
    problems.push({ key: `${PROJECT}:${key}`, value, message, allowed, fix });

  const minor = Number(c.kubernetesVersionPrefix.split('.')[1]);
  if (minor < SUPPORTED_KUBERNETES_MINORS.min || minor > SUPPORTED_KUBERNETES_MINORS.max) {
    add(
      'kubernetesVersionPrefix',
      c.kubernetesVersionPrefix,
      `Kubernetes 1.${minor} is outside what the pinned charts support (Envoy Gateway ${CHARTS.envoyGateway.version})`,
      `1.${SUPPORTED_KUBERNETES_MINORS.min}. to 1.${SUPPORTED_KUBERNETES_MINORS.max}.`,
      `pulumi config set ${PROJECT}:kubernetesVersionPrefix 1.35.`,
    );
  }
  const seen = new Set<string>();
  c.nodePools.forEach((pool, i) => {
    if (pool.max < pool.min) {
      add(`nodePools[${i}].max`, pool.max, `max is below min (${pool.min})`, `an integer ≥ ${pool.min}`, `raise nodePools[${i}].max or lower nodePools[${i}].min`);
    }
    if (seen.has(pool.name)) {
      add(`nodePools[${i}].name`, pool.name, 'two node pools have the same name', 'each pool name once', 'rename one of the pools');
    }
    seen.add(pool.name);
  });
  if (c.nodePools[0].min < 1) {
    add(
      'nodePools[0].min',
      c.nodePools[0].min,
      "the first pool is the cluster's default pool: KEDA, the interceptor, Envoy Gateway and Prometheus run there, and a pool at 0 nodes would take every tenant's wake with it (the Pulumi provider also documents min_nodes ≥ 1 for the cluster's node_pool)",
      'an integer ≥ 1 on nodePools[0]',
      'set nodePools[0].min to 1, and put min: 0 on an extra pool',
    );
  }
  const blocking = c.nodePools[0].taints.find((t) => t.effect !== 'PreferNoSchedule');
  if (blocking) {
    add(
      'nodePools[0].taints',
      blocking,
      `the first pool is the cluster's default pool; a ${blocking.effect} taint keeps KEDA, Envoy Gateway and Prometheus off it`,
      'no NoSchedule/NoExecute taints on nodePools[0] (PreferNoSchedule is fine)',
      'move the taint to an extra pool (nodePools[1] …) and keep the default pool untainted',
    );
  }
  const i = c.components.kedaHttpAddon;
  if (i.interceptorMaxReplicas < i.interceptorMinReplicas) {
    add(
      'components.kedaHttpAddon.interceptorMaxReplicas',
      i.interceptorMaxReplicas,
      `below interceptorMinReplicas (${i.interceptorMinReplicas})`,
      `an integer ≥ ${i.interceptorMinReplicas}`,
      'raise interceptorMaxReplicas or lower interceptorMinReplicas',
    );
  }
  const subnets = (['clusterSubnet', 'serviceSubnet'] as const).flatMap((key) => {
    const text = c[key];
    if (text === undefined) return [];
    const parsed = parseCidr(text);
    if ('reason' in parsed || parsed.family !== 4 || formatNetwork(parsed) !== text) {
      add(key, text, 'reason' in parsed ? `not a CIDR network: ${parsed.reason}` : parsed.family !== 4 ? 'not an IPv4 network' : `not in canonical form (the network is ${formatNetwork(parsed)})`, 'an IPv4 network in canonical CIDR notation, e.g. "10.244.0.0/16"', `pulumi config set ${PROJECT}:${key} ${'reason' in parsed ? '10.244.0.0/16' : formatNetwork(parsed)}`);
      return [];
    }
    return [{ key, network: parsed }];
  });
  if (subnets.length === 2 && overlaps(subnets[0].network, subnets[1].network)) {
    add('serviceSubnet', c.serviceSubnet, `overlaps clusterSubnet ${c.clusterSubnet}`, 'a Service network apart from the pod network', `pulumi config set ${PROJECT}:serviceSubnet 10.245.0.0/16`);
  }
  if (c.clusterMode === 'doks') {
    if (c.region === undefined) {
      add('region', undefined, 'required in doks mode', `one of ${DOKS_REGIONS.join(', ')}`, `pulumi config set ${PROJECT}:region fra1`);
    }
    if (!hasDoToken) {
      problems.push({
        key: 'digitalocean:token',
        message: 'no DigitalOcean API token: doks mode creates a cluster',
        allowed: 'a secret stack value or the DIGITALOCEAN_TOKEN environment variable (never a file in the repository)',
        fix: 'pulumi config set --secret digitalocean:token <token>, or export DIGITALOCEAN_TOKEN=<token>',
      });
    }
    for (const key of ['kubeconfig', 'kubeContext'] as const) {
      if (c[key] !== undefined) {
        add(key, key === 'kubeconfig' ? '<set>' : c[key], 'only used in kubeconfig mode; doks mode reads the cluster kubeconfig fresh on every run', 'unset in doks mode', `pulumi config rm ${PROJECT}:${key}`);
      }
    }
  }
  for (const [name, entry] of Object.entries(c.registryCredentials)) {
    const key = `registryCredentials.${name}`;
    const sources = (['digitalOceanRegistry', 'dockerConfigJson'] as const).filter((k) => entry[k] !== undefined);
    if (sources.length !== 1) {
      add(key, sources.length === 0 ? {} : '<both set>', sources.length === 0 ? 'no source for the pull Secret' : 'both digitalOceanRegistry and dockerConfigJson are set; the Secret has one docker config', 'exactly one of digitalOceanRegistry (DOCR, the stack creates read-only credentials) or dockerConfigJson (secret config)', `keep one: pulumi config set --path '${PROJECT}:${key}.digitalOceanRegistry' <registry>, or pulumi config rm --path '${PROJECT}:${key}.<the other>'`);
      continue;
    }
    if (entry.dockerConfigJson !== undefined && entry.dockerConfigJson !== ENCRYPTED_VALUE) {
      const reason = dockerConfigJsonReason(entry.dockerConfigJson);
      if (reason) add(`${key}.dockerConfigJson`, '<secret>', `not a usable docker config: ${reason}`, 'JSON {"auths": {"<registry host>": {"auth": "<base64 user:password>"}}}', `pulumi config set --secret --path '${PROJECT}:${key}.dockerConfigJson' '{"auths":{"ghcr.io":{"auth":"<base64 user:token>"}}}'`);
    }
    if (entry.digitalOceanRegistry !== undefined && c.clusterMode !== 'doks' && !hasDoToken) {
      problems.push({ key: 'digitalocean:token', message: `${PROJECT}:${key}.digitalOceanRegistry needs a DigitalOcean API token to create registry credentials`, allowed: 'a secret stack value or the DIGITALOCEAN_TOKEN environment variable', fix: `pulumi config set --secret digitalocean:token <token>, or use ${key}.dockerConfigJson in kubeconfig mode` });
    }
  }
  if (c.tenantDelivery === 'flux') {
    const f = c.flux;
    const scheme = f.source === 'oci' ? 'oci://' : undefined;
    if (f.url === undefined) {
      add('flux.url', undefined, 'required when tenantDelivery is flux', f.source === 'oci' ? 'oci://registry.digitalocean.com/<registry>/<repository>' : 'an https:// or ssh:// clone URL',
        `pulumi config set --path ${PROJECT}:flux.url <url>`);
    } else if (scheme ? !f.url.startsWith(scheme) : f.url.startsWith('oci://')) {
      add('flux.url', f.url, `does not match flux.source = ${f.source}`, f.source === 'oci' ? 'an oci:// URL' : 'an https:// or ssh:// clone URL', 'change flux.url or flux.source');
    }
    const withSecrets = Object.keys(c.tenantSecrets);
    if (withSecrets.length > 0) {
      problems.push({
        key: `${PROJECT}:tenantSecrets`,
        value: '<secret>',
        message: `values for ${withSecrets.join(', ')}, but in flux mode Flux creates the tenant namespaces, so Pulumi cannot create Secrets in them`,
        allowed: 'no tenantSecrets when tenantDelivery is flux',
        fix: 'create those Secrets with your secret manager (External Secrets, SOPS) and pulumi config rm tenantscale:tenantSecrets',
      });
    }
    const withConfigMaps = Object.keys(c.tenantConfigMaps);
    if (withConfigMaps.length > 0) {
      add('tenantConfigMaps', withConfigMaps.join(', '), 'in flux mode Flux creates the tenant namespaces, so Pulumi cannot create ConfigMaps in them', 'no tenantConfigMaps when tenantDelivery is flux', 'create the ConfigMaps in the tenant namespaces (labelled http.keda.sh/response-body: "true") with your GitOps tooling and pulumi config rm tenantscale:tenantConfigMaps');
    }
    const pull = Object.keys(c.registryCredentials);
    if (pull.length > 0) {
      add('registryCredentials', pull.join(', '), 'in flux mode Flux creates the tenant namespaces, so Pulumi cannot create pull Secrets in them', 'no registryCredentials when tenantDelivery is flux', 'create the pull Secrets in the tenant namespaces with your secret manager (External Secrets, SOPS) and pulumi config rm tenantscale:registryCredentials');
    }
  }
  if (problems.length > 0) throw new StackConfigError(problems);
  return { ...c, gatewayApiCrds: c.gatewayApiCrds ?? (c.clusterMode === 'doks' ? 'cluster' : 'envoy-gateway') };
}

/**
 * Reads the stack's `tenantscale:*` values from the Pulumi runtime and validates them. Runs before
 * any resource is registered.
 */
export function readStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const all = pulumi.runtime.allConfig();
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(all)) {
    if (key.startsWith(`${PROJECT}:`)) raw[key.slice(PROJECT.length + 1)] = decodeConfigValue(value);
  }
  const hasDoToken = Boolean(all['digitalocean:token'] || env.DIGITALOCEAN_TOKEN || env.DIGITALOCEAN_ACCESS_TOKEN);
  return parseStackConfig(raw, hasDoToken);
}
