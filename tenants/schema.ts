/**
 * The tenant list's one schema. Everything about a tenant's shape comes from here: the typed
 * `TenantSpec` the constructs consume, the defaults merge, the published
 * `tenants/tenants.schema.json` (editor completion) and the allowed values and fixes that
 * validation errors quote.
 */
import { z } from 'zod';
import { CPU_PATTERN, MEMORY_PATTERN } from './quantity';
import { kindFields } from './kinds';
import type { FieldHint } from './field-hint';

export type { FieldHint } from './field-hint';

/** Hints for every leaf field, looked up by `hintAt` when a value is refused. */
export const fieldHints = z.registry<FieldHint>();

function hinted<T extends z.ZodType>(schema: T, description: string, hint: FieldHint): T {
  const described = schema.meta({ description }) as T;
  fieldHints.add(described as z.ZodType, hint);
  return described;
}

/** Characters left for a tenant name once `tenant-` is prepended for its namespace (63 - 7). */
export const TENANT_NAME_MAX = 56;
export const NAMESPACE_PREFIX = 'tenant-';
export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const HOSTNAME =
  /^(\*\.)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
/** A hostname without the wildcard prefix. */
export const DOMAIN = new RegExp(`^${HOSTNAME.source.slice('^(\\*\\.)?'.length)}`);
const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;
/**
 * A probe's path: a URL path, optionally with a query string (no fragment). The kubelet parses
 * httpGet.path as a URL reference and keeps its query (kubernetes/kubernetes@v1.28.0
 * pkg/probe/http/request.go:113-126 `formatURL`: url.Parse(path), then only scheme and host are
 * set), so `/health?ready=1` probes `/health` with `ready=1`.
 */
const PROBE_PATH = new RegExp(`${PATH.source.slice(0, -1)}(\\?[A-Za-z0-9\\-._~!$&'()*+,;=:@/?%]*)?$`);
const DURATION = /^[1-9][0-9]{0,4}(ms|s|m|h)$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** DigitalOcean's block-storage StorageClass on DOKS (reclaim policy Delete). */
export const DEFAULT_STORAGE_CLASS = 'do-block-storage';

/** Built-in defaults, used when neither the tenant nor the file's `defaults` block sets a field. */
export const BUILTIN_DEFAULTS = {
  coldStartBudget: 60,
  responseTimeout: 30,
  scaledownPeriod: 300,
  scalingMin: 0,
  window: '1m',
  granularity: '1s',
  runAsUser: 65532,
  stateful: false,
  tls: true,
  routing: 'interceptor',
} as const;

/**
 * How an HTTP tenant's requests reach its pods (docs/routing-modes.md):
 * - `interceptor`: every request through the KEDA HTTP add-on's interceptor, warm or cold.
 * - `direct-when-warm`: Envoy sends to the tenant's own Service while it answers, and falls back to
 *   the interceptor (an Envoy Gateway Backend with `fallback: true`) only while it does not.
 */
export const ROUTING_MODES = ['interceptor', 'direct-when-warm'] as const;
export type RoutingMode = (typeof ROUTING_MODES)[number];

/** Units of an edge rate limit (Envoy Gateway BackendTrafficPolicy rateLimit.local, a subset of the CRD's enum). */
export const RATE_LIMIT_UNITS = ['Second', 'Minute', 'Hour'] as const;
/** Largest edge rate limit a tenant may set, per unit. */
export const RATE_LIMIT_MAX_REQUESTS = 1_000_000;

// ---- leaf fields ---------------------------------------------------------------------------

const tenantName = () =>
  hinted(
    z.string().regex(DNS_LABEL).max(TENANT_NAME_MAX),
    'Tenant name: a DNS label. The namespace is `tenant-<name>`; the Deployment, Service, InterceptorRoute, ScaledObject and HTTPRoute are named `<name>`.',
    {
      allowed: `lowercase letters, digits and '-', starting with a letter, ending with a letter or digit, at most ${TENANT_NAME_MAX} characters (namespace tenant-<name> must fit in 63)`,
      fix: 'rename the tenant, e.g. "acme-corp"',
    },
  );

const hostname = () =>
  hinted(z.string().regex(HOSTNAME).max(253), 'A hostname routed to this tenant (Host header).', {
    allowed: 'a lowercase DNS name such as "ahmed.example.com", optionally starting with "*." (no IP addresses, ports or schemes)',
    fix: 'write the bare hostname, e.g. "ahmed.example.com"',
    // DNS names are case-insensitive, but Gateway API hostnames and the interceptor's Host match are lowercase.
    fixFor: (value) => (typeof value === 'string' && value !== value.toLowerCase() && HOSTNAME.test(value.toLowerCase()) ? `write it in lowercase: "${value.toLowerCase()}"` : undefined),
  });

const image = () =>
  hinted(z.string().min(1), 'Container image, pinned by tag or digest (`repo:1.2.3` or `repo@sha256:…`).', {
    allowed: 'an image reference with a version tag other than "latest", or a sha256 digest',
    fix: 'pin the image, e.g. "ghcr.io/stefanprodan/podinfo:6.7.1"',
  });

const port = () =>
  hinted(z.number().int().min(1).max(65535), 'Port the container listens on; the Service exposes the same port.', {
    allowed: 'an integer from 1 to 65535',
    fix: 'set the port the application listens on, e.g. 8080',
  });

const httpPath = (what: string) =>
  hinted(z.string().regex(PATH), `HTTP path of the ${what}.`, {
    allowed: 'an absolute URL path starting with "/", e.g. "/readyz"',
    fix: `set the ${what} path, e.g. "/healthz"`,
  });

const probePath = (what: string) =>
  hinted(z.string().regex(PROBE_PATH).max(2048), `HTTP path of the ${what}, optionally with a query string.`, {
    allowed: 'an absolute URL path starting with "/", optionally with a query string, e.g. "/readyz" or "/health?ready=1" (no fragment "#")',
    fix: `set the ${what} path, e.g. "/healthz"`,
  });

/**
 * A quantity written as a YAML number (`cpu: 1`, `memory: 134217728`) is read as the string
 * Kubernetes would see, then checked like any other.
 */
const quantity = (pattern: RegExp) =>
  z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(pattern));

/** JSON Schema of a quantity field (a transform has none of its own): a matching string or a number ≥ 0. */
const quantityJson = (pattern: RegExp) => ({ anyOf: [{ type: 'string', pattern: pattern.source }, { type: 'number', minimum: 0 }] });

/** JSON Schema forms for fields whose zod schema cannot express them, applied by `tenantsJsonSchema`. */
const jsonForms = new Map<z.ZodType, Record<string, unknown>>();

function withJson<T extends z.ZodType>(schema: T, json: Record<string, unknown>): T {
  jsonForms.set(schema, json);
  return schema;
}

const cpu = (what: string) =>
  withJson(hinted(quantity(CPU_PATTERN), `CPU ${what}: cores ("0.5", 1) or millicores ("500m").`, {
    allowed: 'a non-negative CPU quantity: millicores like "250m" or cores like "0.5" (at most 3 decimals)',
    fix: `set ${what} to e.g. "100m"`,
  }), quantityJson(CPU_PATTERN));

const memory = (what: string) =>
  withJson(hinted(quantity(MEMORY_PATTERN), `Memory ${what}: bytes with a unit ("128Mi", "1Gi").`, {
    allowed: 'a non-negative integer with an optional unit Ki, Mi, Gi, Ti, Pi, Ei, k, M, G, T, P or E (not "m", which means millibytes)',
    fix: `set ${what} to e.g. "128Mi"`,
  }), quantityJson(MEMORY_PATTERN));

/** NVIDIA GPUs (`nvidia.com/gpu`, an extended resource: whole devices, never overcommitted). */
const gpu = (kind: 'requests' | 'limits') =>
  hinted(z.number().int().min(0).max(16), `NVIDIA GPUs per replica (\`nvidia.com/gpu\` ${kind === 'requests' ? 'request' : 'limit'}); requests must equal limits.`, {
    allowed: 'a whole number of GPUs from 0 to 16, the same in requests and limits (an extended resource is never overcommitted)',
    fix: `set resources.limits.gpu (and resources.requests.gpu to the same number), e.g. 1`,
  });

/** One disk of a stateful tenant: a ReadWriteOnce PersistentVolumeClaim mounted at `mountPath`. */
const volume = <M extends Mode>(mode: M) =>
  z
    .strictObject({
      name: hinted(z.string().regex(DNS_LABEL).max(63), 'Volume name: a DNS label; the claim is `<tenant>-<name>`.', {
        allowed: "lowercase letters, digits and '-', starting with a letter, at most 63 characters (not \"tmp\", the /tmp emptyDir)",
        fix: 'name the volume after what it holds, e.g. "sessions"',
      }),
      mountPath: hinted(z.string().regex(/^\/[^\0]*$/).max(4096), 'Absolute path the volume is mounted at (writable; the root filesystem stays read-only).', {
        allowed: 'an absolute path in clean form such as "/data", not "/", not /bin, /etc, /lib, /sbin or /usr themselves, and not overlapping /tmp, /proc, /sys, /dev, /var/run/secrets, a kubelet-managed file or another volume',
        fix: 'mount it where the application writes its state, e.g. "/data"',
      }),
      size: withJson(
        hinted(quantity(MEMORY_PATTERN), 'Size of the disk ("10Gi"); DigitalOcean volumes hold 1Gi to 16Ti.', {
          allowed: 'a storage quantity from 1Gi to 16Ti (DigitalOcean block storage volume sizes), e.g. "10Gi"',
          fix: 'write e.g. size: 10Gi',
        }),
        quantityJson(MEMORY_PATTERN),
      ),
      storageClass: field(
        mode,
        hinted(z.string().regex(SECRET_NAME).max(253), 'StorageClass of the claim: DigitalOcean block storage by default (`do-block-storage-retain` keeps the disk when the claim is deleted).', {
          allowed: 'a StorageClass name, e.g. do-block-storage or do-block-storage-retain',
          fix: 'remove it to use do-block-storage',
        }),
        DEFAULT_STORAGE_CLASS,
      ),
    })
    .meta({ description: 'A ReadWriteOnce disk (PersistentVolumeClaim) mounted into the pod.' });

/**
 * An exec probe: a command run inside the container (exit 0 = success), for workers without an
 * HTTP server. One list entry per argument, no shell.
 */
const execProbe = () =>
  z
    .strictObject({
      exec: hinted(z.array(z.string().min(1).max(ARGV_ITEM_MAX)).min(1).max(ARGV_MAX_ITEMS), 'Command run in the container; exit status 0 passes the probe (no shell: one entry per argument).', {
        allowed: `a list of 1 to ${ARGV_MAX_ITEMS} non-empty strings (the program and its arguments)`,
        fix: 'write e.g. {exec: [/app/healthcheck]} or {exec: [python, -m, worker.health]}',
      }),
    })
    .meta({ description: 'An exec probe (for a worker without an HTTP server).' });

/** A probe: an HTTP path on `port`, or `{exec: [...]}`. */
const probe = (what: string) =>
  hinted(z.union([probePath(what), execProbe()]), `The ${what}: an HTTP path on \`port\` ("/readyz"), or {exec: [command, …]}.`, {
    allowed: 'an absolute URL path starting with "/", optionally with a query string, e.g. "/readyz" or "/health?ready=1" (no fragment "#"), or {exec: [command, …]}',
    fix: `set the ${what} path, e.g. "/healthz", or {exec: [/app/healthcheck]}`,
  });

/** Most scratch mounts per tenant. */
export const SCRATCH_MAX = 8;

/** One sized emptyDir scratch mount (every kind): disk-backed or memory-backed (tmpfs). */
const scratch = <M extends Mode>(mode: M) =>
  z
    .strictObject({
      name: hinted(z.string().regex(DNS_LABEL).max(63), 'Scratch volume name: a DNS label.', {
        allowed: "lowercase letters, digits and '-', starting with a letter, at most 63 characters (not \"tmp\", and not the name of one of the tenant's volumes)",
        fix: 'name it after what it holds, e.g. "model-cache"',
      }),
      mountPath: hinted(z.string().regex(/^\/[^\0]*$/).max(4096), 'Absolute path the scratch space is mounted at (writable; emptied when the pod goes).', {
        allowed: 'an absolute path in clean form such as "/data", not "/", not /bin, /etc, /lib, /sbin or /usr themselves, and not overlapping /tmp, /proc, /sys, /dev, /var/run/secrets, a kubelet-managed file, a volume or another scratch mount',
        fix: 'mount it where the application writes, e.g. "/data"',
      }),
      size: withJson(
        hinted(quantity(MEMORY_PATTERN), 'Most bytes the scratch space may hold (emptyDir sizeLimit), e.g. "2Gi".', {
          allowed: 'a quantity from 1Mi to 1Ti, e.g. "2Gi"; memory-backed scratch must also fit under resources.limits.memory',
          fix: 'write e.g. size: 2Gi',
        }),
        quantityJson(MEMORY_PATTERN),
      ),
      medium: field(
        mode,
        hinted(z.enum(['disk', 'memory']), 'disk: the node\'s disk (counted as ephemeral-storage); memory: a tmpfs whose pages count against the container\'s memory limit.', {
          allowed: 'disk or memory',
          fix: 'write medium: disk (large caches) or medium: memory (small, fast scratch)',
        }),
        'disk',
      ),
    })
    .meta({ description: 'Sized scratch space (an emptyDir) mounted into every pod of the tenant.' });

const replicas = (what: 'min' | 'max') =>
  what === 'min'
    ? hinted(z.number().int().min(0).max(1000), 'Fewest replicas; 0 lets the tenant sleep when idle.', {
        allowed: 'an integer from 0 to 1000 (stateful tenants: at least 1)',
        fix: 'use 0 for scale-to-zero, or 1 to stay warm',
      })
    : hinted(z.number().int().min(1).max(1000), 'Most replicas under load.', {
        allowed: 'an integer from 1 to 1000',
        fix: 'set max to at least 1 (a tenant with max 0 can never serve a request; min: 0 already lets it sleep)',
      });

const seconds = (description: string, min: number, max: number, fix: string) =>
  hinted(z.number().int().min(min).max(max), description, {
    allowed: `an integer number of seconds from ${min} to ${max}`,
    fix,
  });

const duration = (description: string) =>
  hinted(z.string().regex(DURATION), description, {
    allowed: 'a duration: a positive integer followed by ms, s, m or h, e.g. "1m" or "1s"',
    fix: 'write e.g. "1m"',
  });

const target = (description: string) =>
  hinted(z.number().int().min(1).max(100000), description, {
    allowed: 'an integer from 1 to 100000',
    fix: 'set a positive target, e.g. 10',
  });

const envName = () =>
  hinted(z.string().regex(ENV_NAME), 'Environment variable name.', {
    allowed: 'letters, digits and "_", not starting with a digit',
    fix: 'rename the variable, e.g. "LOG_LEVEL"',
  });

const secretRef = () =>
  z
    .strictObject({
      secret: hinted(z.string().regex(SECRET_NAME).max(253), 'Name of an existing Secret in the tenant namespace.', {
        allowed: 'a Secret name (lowercase DNS subdomain)',
        fix: 'name an existing Secret, e.g. "openai"',
      }),
      key: hinted(z.string().regex(/^[-._a-zA-Z0-9]+$/).max(253), 'Key inside the Secret.', {
        allowed: 'a Secret data key: letters, digits, "-", "_" and "."',
        fix: 'name the key, e.g. "api-key"',
      }),
    })
    .meta({ description: 'Reference to a key of an existing Secret; the value never appears in this file.' });

/**
 * Env values are strings: a YAML number or boolean would reach the container re-printed
 * (`3.10` → "3.1"), so it is refused with the text as written, quoted (tenants/rules/env.ts).
 */
const envValue = () =>
  hinted(
    z.union([z.string(), secretRef()]),
    'A plain value (a string: quote numbers and booleans), or {secret, key} to read it from an existing Secret.',
    {
      allowed: 'a string (quote numbers and booleans), or {secret: <Secret name>, key: <key>}',
      fix: 'write a quoted value, or reference a Secret: {secret: openai, key: api-key}',
    },
  );

const labelKey = () =>
  hinted(z.string().regex(LABEL_KEY).max(317), 'Label key.', {
    allowed: 'a Kubernetes label key: optional DNS prefix and "/", then up to 63 letters, digits, "-", "_", "."',
    fix: 'use e.g. "team" or "example.com/plan"',
  });

const labelValue = () =>
  hinted(z.string().regex(LABEL_VALUE), 'Label value.', {
    allowed: 'up to 63 letters, digits, "-", "_", "." starting and ending with a letter or digit (quote numbers)',
    fix: 'use e.g. "gold"; quote values such as "1" or "true"',
  });

/** Most entries of `command` or `args`, and the longest entry (tenants/rules/command.ts). */
export const ARGV_MAX_ITEMS = 64;
export const ARGV_ITEM_MAX = 1024;

/**
 * `command` or `args` of the app container: a list of strings, each passed to the process as one
 * argument, no shell. A YAML number or boolean is refused (tenants/rules/command.ts) so the
 * process gets the text as written.
 */
const argv = (field: 'command' | 'args') =>
  hinted(
    z.array(z.string().max(ARGV_ITEM_MAX)).max(ARGV_MAX_ITEMS),
    field === 'command'
      ? 'Replaces the image ENTRYPOINT: the program and its first arguments, one list entry per argument, no shell (e.g. [python, -m, worker]). Empty or unset: the image\'s ENTRYPOINT.'
      : 'Replaces the image CMD: arguments after the command, one list entry per argument (e.g. [--queue, invoices]). Empty or unset: the image\'s CMD.',
    {
      allowed: `a list of at most ${ARGV_MAX_ITEMS} strings of at most ${ARGV_ITEM_MAX} characters each (quote numbers and booleans)`,
      fix: field === 'command' ? 'write e.g. command: [python, -m, worker]' : 'write e.g. args: [--concurrency, "4"]',
    },
  );

/** Most egress rules per tenant and ports per rule (one NetworkPolicy rule each). */
export const EGRESS_MAX_RULES = 32;
export const EGRESS_MAX_PORTS = 16;

const egressRule = () =>
  z
    .strictObject({
      cidr: hinted(z.string().min(1).max(64), 'Destination network, CIDR notation: "10.110.0.0/20" (a VPC range), "203.0.113.7/32" (one address), or IPv6.', {
        allowed: 'an IPv4 or IPv6 network in canonical CIDR notation, e.g. "10.110.0.0/20" or "2001:db8::/48"',
        fix: 'write the network address and prefix length, e.g. "10.110.0.0/20" (the VPC range of the managed database)',
      }),
      ports: hinted(
        z.array(
          hinted(z.number().int().min(1).max(65535), 'Destination port.', {
            allowed: 'a port number from 1 to 65535',
            fix: 'write the port the service listens on, e.g. 25060',
          }),
        ).min(1).max(EGRESS_MAX_PORTS),
        'Destination ports (e.g. [25060] for DigitalOcean Managed PostgreSQL).',
        {
          allowed: `a list of 1 to ${EGRESS_MAX_PORTS} port numbers from 1 to 65535`,
          fix: 'list the ports the tenant connects to, e.g. ports: [25060]',
        },
      ),
      protocol: hinted(z.enum(['TCP', 'UDP']).default('TCP'), 'Transport protocol of the ports.', {
        allowed: 'TCP or UDP',
        fix: 'write protocol: TCP (databases, HTTP APIs) or UDP',
      }),
    })
    .meta({ description: 'One allowed destination: a network and ports, opened in spite of the private-range block.' });

const egress = () =>
  hinted(
    z.array(egressRule()).max(EGRESS_MAX_RULES),
    'Extra destinations the tenant may reach (a managed database in the VPC, a partner API). Private ranges and cloud metadata stay blocked for everything not listed.',
    {
      allowed: `a list of up to ${EGRESS_MAX_RULES} {cidr, ports, protocol} entries`,
      fix: 'write e.g. egress: [{cidr: "10.110.0.0/20", ports: [25060]}]',
    },
  );

const imagePullSecret = () =>
  hinted(
    z.string().regex(SECRET_NAME).max(253),
    'Registry credentials for a private image: the name of a pull Secret the stack creates in the tenant namespace (tenantscale:registryCredentials.<name>). The Deployment lists it in imagePullSecrets; its value is never in this file or in dist/.',
    {
      allowed: 'a Secret name (lowercase DNS subdomain, at most 253 characters) that the stack\'s tenantscale:registryCredentials defines',
      fix: 'name the stack\'s registry credentials, e.g. imagePullSecret: docr',
    },
  );

/** At most 16: HTTPRoute `spec.hostnames` has `maxItems: 16` (tenants/rules/hosts.ts MAX_HOSTS). */
const tenantHosts = () =>
  hinted(z.array(hostname()).max(16), 'Hostnames routed to this tenant (up to 16: HTTPRoute hostnames allow 16; none for queue and scheduled tenants).', {
    allowed: 'a list of up to 16 hostnames (at least one for http and stateful tenants; an HTTPRoute holds at most 16)',
    fix: 'list the tenant\'s hostnames, e.g. hosts: [ahmed.example.com] (at most 16; a wildcard such as "*.ahmed.example.com" covers more names)',
  });

/** A domain the tenant owns: a DNS name without a wildcard (it covers itself and every name under it). */
const ownedDomain = () =>
  hinted(z.string().regex(DOMAIN).max(253), 'A domain the tenant owns (the customer\'s own domain).', {
    allowed: 'a lowercase DNS name without "*." such as "fatima.example.org": it covers itself and every name under it',
    fix: 'write the bare domain, e.g. "fatima.example.org" (not "*.fatima.example.org")',
  });

/** The customer's own domains: no other tenant may route a host under them (tenants/rules/domains.ts). */
const tenantDomains = () =>
  hinted(z.array(ownedDomain()).max(16), 'Domains this tenant owns: no other tenant may route a host under them. Hosts outside the platform\'s tenant domain get their own certificate.', {
    allowed: 'a list of up to 16 domains the tenant owns, e.g. [fatima.example.org]',
    fix: 'list the customer\'s own domains, e.g. domains: [fatima.example.org]',
  });

// ---- objects -----------------------------------------------------------------------------

type Mode = 'partial' | 'resolved';

/** A field that is optional in the file and, once resolved, required or defaulted. */
type Field<M extends Mode, T extends z.ZodType> = M extends 'partial' ? z.ZodOptional<T> : T;

function field<M extends Mode, T extends z.ZodType>(mode: M, schema: T, fallback?: unknown): Field<M, T> {
  if (mode === 'partial') {
    const optional = schema.optional();
    return (fallback === undefined ? optional : optional.meta({ default: fallback })) as Field<M, T>;
  }
  return (fallback === undefined ? schema : schema.default(fallback as never)) as unknown as Field<M, T>;
}

function resourceSet<M extends Mode>(mode: M, kind: 'requests' | 'limits') {
  const what = kind === 'requests' ? 'request' : 'limit';
  return z
    .strictObject({
      cpu: field(mode, cpu(`resources.${kind}.cpu`)),
      memory: field(mode, memory(`resources.${kind}.memory`)),
      gpu: gpu(kind).optional(),
    })
    .meta({ description: `Per-replica ${what}s. Explicit: HPA, VPA and quota arithmetic depend on them.` });
}

function boundSet<M extends Mode>(mode: M, what: 'minAllowed' | 'maxAllowed') {
  return z.strictObject({
    cpu: field(mode, cpu(`vpa.${what}.cpu`)),
    memory: field(mode, memory(`vpa.${what}.memory`)),
  });
}

function tenantFields<M extends Mode>(mode: M) {
  const d = BUILTIN_DEFAULTS;
  return {
    image: field(mode, image()),
    port: port().optional().meta({ description: 'Port the container listens on; the Service exposes the same port. Required for http, stateful and service tenants; optional for workers (queue, scheduled, job, cron-job) without an HTTP server.' }),
    probes: z
      .strictObject({
        readiness: probe('readiness probe').optional(),
        liveness: probe('liveness probe').optional(),
      })
      .optional()
      .meta({ description: 'Probes: an HTTP path on `port` or {exec: [...]}. http, stateful and service tenants need both (the interceptor releases held requests once readiness passes); workers may leave them out.' }),
    scratch: z
      .array(scratch(mode))
      .max(SCRATCH_MAX)
      .optional()
      .meta({ description: 'Sized writable scratch space (emptyDir) beside /tmp, for every kind: a model cache, build space. Disk-backed scratch is counted in the quota\'s ephemeral-storage.' }),
    metrics: z
      .strictObject({
        path: field(mode, httpPath('Prometheus metrics endpoint')),
        interval: field(mode, duration('Scrape interval.'), '30s'),
      })
      .optional()
      .meta({ description: 'Prometheus scrape endpoint; when set, a ServiceMonitor is created.' }),
    resources: field(
      mode,
      z.strictObject({
        requests: field(mode, resourceSet(mode, 'requests')),
        limits: field(mode, resourceSet(mode, 'limits')),
      }),
    ),
    env: field(
      mode,
      z.record(envName(), envValue()).meta({ description: 'Environment variables: plain values or Secret references.' }),
      {},
    ),
    envNotSecret: field(
      mode,
      hinted(
        z.array(envName()).max(256),
        'Plain env variables whose names read as credentials (e.g. PASSWORD_POLICY) but whose values are not: the name-based credential check skips them. A value shaped like a known token format is refused all the same.',
        { allowed: 'a list of env variable names set in `env` with plain values', fix: 'list only variables of `env` that hold no credential, e.g. envNotSecret: [PASSWORD_POLICY]' },
      ),
      [],
    ),
    scaling: field(
      mode,
      z
        .strictObject({
          min: field(mode, replicas('min'), d.scalingMin),
          max: field(mode, replicas('max')),
          scaledownPeriod: field(
            mode,
            seconds(
              'Seconds without traffic before scaling down (KEDA cooldown). 600-900 keeps a conversation warm.',
              30,
              86400,
              'use 300 (KEDA default) or 600-900 for interactive tenants',
            ),
            d.scaledownPeriod,
          ),
          metric: field(
            mode,
            z
              .strictObject({
                requestRate: z
                  .strictObject({
                    target: field(mode, target('Requests per second per replica.')),
                    window: field(mode, duration('Averaging window of the request rate.'), d.window),
                    granularity: field(mode, duration('Granularity of the request-rate buckets.'), d.granularity),
                  })
                  .optional(),
                concurrency: z
                  .strictObject({ target: field(mode, target('Concurrent requests per replica.')) })
                  .optional(),
              })
              .meta({ description: 'Exactly one of requestRate or concurrency.' }),
          ),
        })
        .meta({ description: 'KEDA HTTP add-on scaling: replica bounds, cooldown and metric.' }),
    ),
    stateful: field(
      mode,
      hinted(z.boolean(), 'Stateful tenants keep at least one replica (never scale to zero).', {
        allowed: 'true or false',
        fix: 'write stateful: true or stateful: false',
      }),
      d.stateful,
    ),
    coldStartBudget: field(
      mode,
      seconds(
        'Seconds the first request after sleep may wait for a ready pod. Route and interceptor timeouts are derived from it.',
        5,
        900,
        'use 60 (default); add node provisioning time (~30-45 s) if the cluster must grow first',
      ),
      d.coldStartBudget,
    ),
    responseTimeout: field(
      mode,
      seconds('Seconds a ready pod may take to send response headers.', 1, 3600, 'use 30 (default)'),
      d.responseTimeout,
    ),
    runAsUser: field(
      mode,
      hinted(z.number().int().min(1).max(2147483647), 'Numeric, non-root user id the container runs as.', {
        allowed: 'an integer from 1 to 2147483647 (0 is root, which Pod Security "restricted" refuses)',
        fix: 'use the image\'s numeric non-root user, or 65532',
      }),
      d.runAsUser,
    ),
    vpa: field(
      mode,
      z
        .strictObject({
          minAllowed: field(mode, boundSet(mode, 'minAllowed'), { cpu: '10m', memory: '32Mi' }),
          maxAllowed: field(mode, boundSet(mode, 'maxAllowed'), { cpu: '2', memory: '4Gi' }),
        })
        .meta({ description: 'Bounds of the VerticalPodAutoscaler recommendation (recommendation mode only).' }),
      { minAllowed: { cpu: '10m', memory: '32Mi' }, maxAllowed: { cpu: '2', memory: '4Gi' } },
    ),
    command: argv('command').optional(),
    args: argv('args').optional(),
    egress: field(mode, egress(), []),
    imagePullSecret: imagePullSecret().optional(),
    labels: field(
      mode,
      z.record(labelKey(), labelValue()).meta({ description: 'Extra labels on every object of the tenant.' }),
      {},
    ),
    volumes: z
      .array(volume(mode))
      .max(8)
      .optional()
      .meta({ description: 'stateful: disks (ReadWriteOnce PersistentVolumeClaims) mounted into the single pod.' }),
    nodePool: hinted(
      z.string().regex(DNS_LABEL).max(63),
      'Node pool of the stack the pods run on (nodeSelector doks.digitalocean.com/node-pool, tolerations for its taints).',
      {
        allowed: 'the name of a node pool in the stack configuration (tenantscale:nodePools): a DNS label of lowercase letters, digits and \'-\', starting with a letter, at most 63 characters',
        fix: 'name a pool of `pulumi config get tenantscale:nodePools` as written there (lowercase, e.g. "gpu"), or remove nodePool',
      },
    ).optional(),
    tls: field(
      mode,
      hinted(z.boolean(), 'Serve the hosts over HTTPS (certificate from cert-manager) and redirect HTTP to HTTPS. false for local clusters reached over plain HTTP.', {
        allowed: 'true or false',
        fix: 'write tls: true, or tls: false (e.g. once in `defaults` for a local cluster)',
      }),
      d.tls,
    ),
    routing: field(
      mode,
      hinted(
        z.enum(ROUTING_MODES),
        'How requests reach an HTTP tenant: `interceptor` (every request through the KEDA HTTP interceptor) or `direct-when-warm` (straight to the tenant\'s Service while it is up, through the interceptor only to wake it; see docs/routing-modes.md). Ignored by kinds without an HTTP entry.',
        {
          allowed: ROUTING_MODES.map((m) => `"${m}"`).join(' or '),
          fix: 'write routing: interceptor (default) or routing: direct-when-warm',
        },
      ),
      d.routing,
    ),
    rateLimit: z
      .strictObject({
        requests: hinted(
          z.number().int().min(1).max(RATE_LIMIT_MAX_REQUESTS),
          'Requests each Envoy proxy lets through to this tenant per `unit`; beyond it Envoy answers 429.',
          { allowed: `an integer from 1 to ${RATE_LIMIT_MAX_REQUESTS}`, fix: 'write e.g. requests: 200, or remove rateLimit for the default (docs/routing-modes.md)' },
        ),
        unit: hinted(z.enum(RATE_LIMIT_UNITS), 'The period of `requests`.', {
          allowed: RATE_LIMIT_UNITS.map((u) => `"${u}"`).join(', '),
          fix: 'write unit: Second',
        }),
      })
      .optional()
      .meta({
        description:
          'Edge rate limit of the tenant\'s HTTPRoute (Envoy Gateway local rate limit, per Envoy proxy). Unset: twice what the tenant can serve at scaling.max (docs/routing-modes.md "Edge rate limit").',
      }),
    ...kindFields(mode, { hinted }),
  };
}

/** One resolved tenant: the file's entry with the `defaults` block and built-in defaults merged under it. */
export const TenantSpecSchema = z.strictObject({
  name: tenantName(),
  hosts: tenantHosts().default([]),
  domains: tenantDomains().default([]),
  ...tenantFields('resolved'),
});

/** A tenant entry as written in the file: name and hosts, everything else may come from `defaults`. */
export const TenantEntrySchema = z
  .strictObject({
    name: tenantName(),
    hosts: tenantHosts().optional(),
    domains: tenantDomains().optional(),
    ...tenantFields('partial'),
  })
  .meta({ description: 'One tenant. Fields not set here come from `defaults`.' });

/** The `defaults` block: any tenant field but name, hosts and domains. */
export const TenantDefaultsSchema = z
  .strictObject(tenantFields('partial'))
  .meta({ description: 'Fields merged under every tenant (a tenant\'s own value wins; maps merge key by key).' });

/** The whole tenants file. */
export const TenantsFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    defaults: TenantDefaultsSchema.optional(),
    tenants: hinted(z.array(TenantEntrySchema), 'The tenants.', {
      allowed: 'a list of tenant entries',
      fix: 'write tenants: followed by "- name: …" entries',
    }),
  })
  .meta({ title: 'tenantscale tenant list', description: 'tenants/tenants.yaml: one scale-to-zero workload per tenant.' });

/** A fully resolved tenant, as the constructs consume it. */
export type TenantSpec = z.output<typeof TenantSpecSchema>;
export type TenantEntry = z.input<typeof TenantEntrySchema>;
export type TenantDefaults = z.input<typeof TenantDefaultsSchema>;
export type TenantsFile = z.input<typeof TenantsFileSchema>;
export type EnvValue = TenantSpec['env'][string];

/** The JSON Schema published as tenants/tenants.schema.json. */
export function tenantsJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(TenantsFileSchema, {
    target: 'draft-7',
    io: 'input',
    override: (ctx) => {
      const form = jsonForms.get(ctx.zodSchema as unknown as z.ZodType);
      if (!form) return;
      delete ctx.jsonSchema.type;
      Object.assign(ctx.jsonSchema, form);
    },
  }) as Record<string, unknown>;
}

/** The schema of the field at `path` (object keys, array indexes, record keys), if any. */
export function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = root;
  for (const key of path) {
    current = unwrap(current);
    if (!current) return undefined;
    const def = (current as any)._zod.def;
    if (def.type === 'object') current = def.shape[key as string];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else if (def.type === 'union') {
      current = def.options.map((o: z.ZodType) => schemaAt(o, [key])).find((s: unknown) => s !== undefined);
    } else return undefined;
  }
  return current;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema as any;
  while (s && ['optional', 'default', 'nullable', 'prefault'].includes(s._zod.def.type)) s = s._zod.def.innerType;
  return s;
}

/** The hint of the field at `path`, looking through optional and default wrappers. */
export function hintAt(root: z.ZodType, path: readonly PropertyKey[]): FieldHint | undefined {
  let s = schemaAt(root, path) as any;
  while (s) {
    const hint = fieldHints.get(s);
    if (hint) return hint;
    s = ['optional', 'default', 'nullable', 'prefault'].includes(s._zod.def.type) ? s._zod.def.innerType : undefined;
  }
  return undefined;
}

/** Known keys of the object at `path`, for "did you mean" suggestions. */
export function keysAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  const s = unwrap(schemaAt(root, path)) as any;
  return s && s._zod.def.type === 'object' ? Object.keys(s._zod.def.shape) : [];
}
