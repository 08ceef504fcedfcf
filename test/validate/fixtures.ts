/**
 * Small CustomResourceDefinitions for the custom kinds tenantscale synthesizes, written for the
 * tests (the upstream CRDs in ../shared are not available to `npm test`). Field names and
 * constraints follow the upstream schemas (KEDA HTTP add-on v0.15, Gateway API v1.6, VPA 1.7,
 * prometheus-operator v0.93); deep parts the synthesized objects never use are left open with
 * x-kubernetes-preserve-unknown-fields.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { OpenApiSchema } from '../../cli/conformance/openapi-schema';

const str = (extra: OpenApiSchema = {}): OpenApiSchema => ({ type: 'string', ...extra });
const int = (extra: OpenApiSchema = {}): OpenApiSchema => ({ type: 'integer', format: 'int32', ...extra });
const obj = (properties: Record<string, OpenApiSchema>, required?: string[]): OpenApiSchema => ({ type: 'object', properties, ...(required ? { required } : {}) });
const list = (items: OpenApiSchema, extra: OpenApiSchema = {}): OpenApiSchema => ({ type: 'array', items, ...extra });
const open: OpenApiSchema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
const quantity: OpenApiSchema = {
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
  'x-kubernetes-int-or-string': true,
};
const labelSelector = obj({ matchLabels: { type: 'object', additionalProperties: str() }, matchExpressions: list(open) });
const hostname = str({ maxLength: 253, minLength: 1, pattern: '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' });

function root(spec: OpenApiSchema, specRequired = true): OpenApiSchema {
  return {
    type: 'object',
    properties: { apiVersion: str(), kind: str(), metadata: { type: 'object' }, spec, status: open },
    ...(specRequired ? { required: ['spec'] } : {}),
  };
}

export interface CrdFixture {
  group: string;
  kind: string;
  plural: string;
  scope?: 'Namespaced' | 'Cluster';
  versions: { name: string; served?: boolean; schema: OpenApiSchema }[];
}

/** A CustomResourceDefinition object (apiextensions.k8s.io/v1) for a fixture. */
export function crd(f: CrdFixture): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${f.plural}.${f.group}` },
    spec: {
      group: f.group,
      names: { kind: f.kind, plural: f.plural, singular: f.kind.toLowerCase(), listKind: `${f.kind}List` },
      scope: f.scope ?? 'Namespaced',
      versions: f.versions.map((v, i) => ({
        name: v.name,
        served: v.served ?? true,
        storage: i === 0,
        schema: { openAPIV3Schema: v.schema },
      })),
    },
  };
}

const scaleTargetRef = obj(
  { apiVersion: str(), kind: str(), name: str(), service: str(), port: int(), portName: str() },
  ['service'],
);

export const HTTP_SCALED_OBJECT: CrdFixture = {
  group: 'http.keda.sh',
  kind: 'HTTPScaledObject',
  plural: 'httpscaledobjects',
  versions: [
    {
      name: 'v1alpha1',
      schema: root(
        obj(
          {
            hosts: list(str()),
            pathPrefixes: list(str()),
            headers: list(obj({ name: str({ minLength: 1 }), value: str() }, ['name']), { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] }),
            scaleTargetRef: {
              ...scaleTargetRef,
              'x-kubernetes-validations': [{ rule: 'has(self.portName) != has(self.port)', message: 'must define either the port name or the port number' }],
            },
            coldStartTimeoutFailoverRef: obj({ service: str(), port: int(), portName: str(), timeoutSeconds: int() }, ['service']),
            replicas: obj({ min: int({ minimum: 0 }), max: int({ minimum: 0 }) }),
            targetPendingRequests: int(),
            scaledownPeriod: int(),
            initialCooldownPeriod: int(),
            scalingMetric: obj({
              concurrency: obj({ targetValue: { type: 'integer' } }),
              requestRate: obj({ granularity: str(), targetValue: { type: 'integer' }, window: str() }),
            }),
            timeouts: obj({ conditionWait: str(), responseHeader: str() }),
          },
          ['scaleTargetRef'],
        ),
      ),
    },
  ],
};

const parentRef = obj(
  {
    group: str({ maxLength: 253 }),
    kind: str({ maxLength: 63, minLength: 1 }),
    name: str({ maxLength: 253, minLength: 1 }),
    namespace: str({ maxLength: 63, minLength: 1 }),
    port: int({ minimum: 1, maximum: 65535 }),
    sectionName: str({ maxLength: 253, minLength: 1 }),
  },
  ['name'],
);
const backendRef = obj(
  {
    filters: list(open),
    group: str({ maxLength: 253 }),
    kind: str({ maxLength: 63, minLength: 1 }),
    name: str({ maxLength: 253, minLength: 1 }),
    namespace: str({ maxLength: 63, minLength: 1 }),
    port: int({ minimum: 1, maximum: 65535 }),
    weight: int({ minimum: 0, maximum: 1000000 }),
  },
  ['name'],
);
const duration = str({ pattern: '^([0-9]{1,5}(h|m|s|ms)){1,4}$' });

export const HTTP_ROUTE: CrdFixture = {
  group: 'gateway.networking.k8s.io',
  kind: 'HTTPRoute',
  plural: 'httproutes',
  versions: ['v1', 'v1beta1'].map((name) => ({
    name,
    schema: root(
      obj({
        hostnames: list(hostname, { maxItems: 16 }),
        parentRefs: list(parentRef, { maxItems: 32 }),
        rules: list(
          obj({
            name: str(),
            backendRefs: list(backendRef, { maxItems: 16 }),
            filters: list(open),
            matches: list(
              obj({
                headers: list(open),
                method: str({ enum: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'] }),
                path: obj({ type: str({ enum: ['Exact', 'PathPrefix', 'RegularExpression'] }), value: str({ maxLength: 1024 }) }),
                queryParams: list(open),
              }),
              { maxItems: 64 },
            ),
            retry: open,
            sessionPersistence: open,
            timeouts: obj({ backendRequest: duration, request: duration }),
          }),
          { maxItems: 16 },
        ),
      }),
    ),
  })),
};

export const REFERENCE_GRANT: CrdFixture = {
  group: 'gateway.networking.k8s.io',
  kind: 'ReferenceGrant',
  plural: 'referencegrants',
  versions: ['v1beta1', 'v1'].map((name) => ({
    name,
    schema: root(
      obj(
        {
          from: list(obj({ group: str({ maxLength: 253 }), kind: str({ maxLength: 63, minLength: 1 }), namespace: str({ maxLength: 63, minLength: 1 }) }, ['group', 'kind', 'namespace']), { minItems: 1, maxItems: 16 }),
          to: list(obj({ group: str({ maxLength: 253 }), kind: str({ maxLength: 63, minLength: 1 }), name: str({ maxLength: 253, minLength: 1 }) }, ['group', 'kind']), { minItems: 1, maxItems: 16 }),
        },
        ['from', 'to'],
      ),
    ),
  })),
};

export const VERTICAL_POD_AUTOSCALER: CrdFixture = {
  group: 'autoscaling.k8s.io',
  kind: 'VerticalPodAutoscaler',
  plural: 'verticalpodautoscalers',
  versions: [
    {
      name: 'v1',
      schema: root(
        obj(
          {
            recommenders: list(obj({ name: str() }, ['name'])),
            resourcePolicy: obj({
              containerPolicies: list(
                obj({
                  containerName: str(),
                  controlledResources: list(str({ enum: ['cpu', 'memory'] })),
                  controlledValues: str({ enum: ['RequestsAndLimits', 'RequestsOnly'] }),
                  maxAllowed: { type: 'object', additionalProperties: quantity },
                  minAllowed: { type: 'object', additionalProperties: quantity },
                  mode: str({ enum: ['Auto', 'Off'] }),
                }),
              ),
            }),
            targetRef: obj({ apiVersion: str(), kind: str(), name: str() }, ['kind', 'name']),
            updatePolicy: obj({ minReplicas: int(), updateMode: str({ enum: ['Off', 'Initial', 'Recreate', 'InPlaceOrRecreate', 'Auto'] }), evictionRequirements: list(open) }),
          },
          ['targetRef'],
        ),
      ),
    },
    { name: 'v1beta2', served: false, schema: root(open) },
  ],
};

export const SERVICE_MONITOR: CrdFixture = {
  group: 'monitoring.coreos.com',
  kind: 'ServiceMonitor',
  plural: 'servicemonitors',
  versions: [
    {
      name: 'v1',
      schema: root(
        obj(
          {
            endpoints: list(
              obj({
                interval: str({ pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$' }),
                path: str(),
                port: str(),
                scheme: str({ enum: ['http', 'https', 'HTTP', 'HTTPS'] }),
                scrapeTimeout: str(),
                targetPort: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
                relabelings: list(open),
                metricRelabelings: list(open),
              }),
            ),
            jobLabel: str(),
            namespaceSelector: obj({ any: { type: 'boolean' }, matchNames: list(str()) }),
            selector: labelSelector,
          },
          ['selector'],
        ),
      ),
    },
  ],
};


const serviceRef = (nameKey: 'service' | 'name') =>
  obj({ [nameKey]: str({ minLength: 1 }), port: int({ minimum: 1, maximum: 65535 }), portName: str({ minLength: 1 }) }, [nameKey]);

/** InterceptorRoute (http-add-on v0.15.0 operator/apis/http/v1beta1/interceptorroute_types.go). */
export const INTERCEPTOR_ROUTE: CrdFixture = {
  group: 'http.keda.sh',
  kind: 'InterceptorRoute',
  plural: 'interceptorroutes',
  versions: [
    {
      name: 'v1beta1',
      schema: root(
        obj(
          {
            target: {
              ...serviceRef('service'),
              'x-kubernetes-validations': [{ rule: 'has(self.port) != has(self.portName)', message: "exactly one of 'port' or 'portName' must be set" }],
            },
            rules: list(obj({ hosts: list(str()), paths: list(obj({ value: str({ minLength: 1 }) }, ['value'])), headers: list(open) })),
            scalingMetric: obj({
              concurrency: obj({ targetValue: int({ minimum: 1 }) }, ['targetValue']),
              requestRate: obj({ granularity: str(), targetValue: int({ minimum: 1 }), window: str() }, ['targetValue']),
            }),
            timeouts: obj({ readiness: str(), request: str(), responseHeader: str() }),
            coldStart: obj({
              fallback: obj({ service: serviceRef('name') }),
              placeholder: obj({
                response: obj({
                  statusCode: int({ minimum: 100, maximum: 599 }),
                  body: str({ maxLength: 32768 }),
                  bodyFromConfigMap: obj({ name: str({ minLength: 1 }), key: str() }, ['name']),
                  headers: { type: 'object', additionalProperties: str() },
                }),
              }),
            }),
          },
          ['scalingMetric', 'target'],
        ),
      ),
    },
  ],
};

/** ScaledObject (KEDA v2.20.2 config/crd/bases/keda.sh_scaledobjects.yaml), the parts tenantscale writes. */
export const SCALED_OBJECT: CrdFixture = {
  group: 'keda.sh',
  kind: 'ScaledObject',
  plural: 'scaledobjects',
  versions: [
    {
      name: 'v1alpha1',
      schema: root(
        obj(
          {
            scaleTargetRef: obj({ apiVersion: str(), kind: str(), name: str(), envSourceContainerName: str() }, ['name']),
            minReplicaCount: int(),
            maxReplicaCount: int(),
            cooldownPeriod: int(),
            pollingInterval: int(),
            idleReplicaCount: int(),
            initialCooldownPeriod: int(),
            advanced: open,
            fallback: open,
            triggers: list(
              obj(
                {
                  type: str(),
                  name: str(),
                  metadata: { type: 'object', additionalProperties: str() },
                  authenticationRef: obj({ kind: str(), name: str() }, ['name']),
                  metricType: str(),
                  useCachedMetrics: { type: 'boolean' },
                },
                ['metadata', 'type'],
              ),
            ),
          },
          ['scaleTargetRef', 'triggers'],
        ),
      ),
    },
  ],
};

/** TriggerAuthentication (KEDA v2.20.2), secretTargetRef only. */
export const TRIGGER_AUTHENTICATION: CrdFixture = {
  group: 'keda.sh',
  kind: 'TriggerAuthentication',
  plural: 'triggerauthentications',
  versions: [
    {
      name: 'v1alpha1',
      schema: root(obj({ secretTargetRef: list(obj({ key: str(), name: str(), parameter: str() }, ['key', 'name', 'parameter'])), env: list(open) })),
    },
  ],
};

/** The route-level BackendTrafficPolicy every tenant route gets (hand-written subset; the pinned CRD is checked in CI). */
export const BACKEND_TRAFFIC_POLICY: CrdFixture = {
  group: 'gateway.envoyproxy.io',
  kind: 'BackendTrafficPolicy',
  plural: 'backendtrafficpolicies',
  versions: [
    {
      name: 'v1alpha1',
      schema: root(
        obj({
          targetRefs: list(obj({ group: str(), kind: str(), name: str() }, ['group', 'kind', 'name'])),
          rateLimit: obj({ local: obj({ rules: list(obj({ limit: obj({ requests: int(), unit: str({ enum: ['Second', 'Minute', 'Hour'] }) }, ['requests', 'unit']) }, ['limit'])) }) }),
          healthCheck: open,
          retry: open,
          telemetry: open,
        }),
      ),
    },
  ],
};

export const ALL_CRDS = [HTTP_SCALED_OBJECT, HTTP_ROUTE, REFERENCE_GRANT, VERTICAL_POD_AUTOSCALER, SERVICE_MONITOR, INTERCEPTOR_ROUTE, SCALED_OBJECT, TRIGGER_AUTHENTICATION, BACKEND_TRAFFIC_POLICY];

/** A fresh temporary directory. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tenantscale-${prefix}-`));
}

/** Writes the fixture CRDs, one file each (as upstream ships them), into a new directory. */
export function writeCrdDir(fixtures: readonly CrdFixture[] = ALL_CRDS): string {
  const dir = tempDir('crds');
  for (const f of fixtures) writeFileSync(join(dir, `${f.group}_${f.plural}.yaml`), `---\n${stringify(crd(f), { version: '1.1' })}`);
  return dir;
}

/** Writes objects as one multi-document YAML file and returns its path. */
export function writeManifests(dir: string, name: string, objects: readonly unknown[]): string {
  const file = join(dir, name);
  writeFileSync(file, objects.map((o) => stringify(o, { version: '1.1' })).join('---\n'));
  return file;
}
