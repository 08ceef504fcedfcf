/**
 * Reading Kubernetes objects the way the controllers do: defaults applied, cross-object references
 * resolved (autoscaler → workload, route → Service, selector → pods). Pure functions over plain
 * objects; every rule builds on these so that all rules agree on what, say, "the HPA's target" is.
 */
import { DEFAULT_PLATFORM_SETTINGS, LABELS, MANAGER, PlatformSettings } from '../constructs/platform-settings';
import type { KubeObject, Level, RuleInfo, RuleOptions, Violation } from './types';

// ---- shapes -----------------------------------------------------------------------------------

/** The container fields the rules read. */
export interface Container {
  name: string;
  image?: string;
  imagePullPolicy?: string;
  ports?: { containerPort?: number; name?: string }[];
  readinessProbe?: unknown;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

/** A Kubernetes label selector (`matchLabels` and `matchExpressions`). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** The resources an HPA can scale on and a VPA can resize. */
export type ScaledResource = 'cpu' | 'memory';

/** One resource metric of an autoscaler (`container` only for per-container metrics). */
export interface ResourceMetric {
  resource: ScaledResource;
  container?: string;
}

/** What an HPA, a ScaledObject or an HTTPScaledObject does to its workload, defaults applied. */
export interface Scaler {
  readonly object: KubeObject;
  readonly namespace: string;
  /** The target by kind and name; undefined when the object names none. */
  readonly target?: { kind: string; name: string };
  /** The replica floor while there is load. */
  readonly min: number;
  /** The replica count when idle (KEDA's `idleReplicaCount`, else `min`). */
  readonly idleMin: number;
  readonly max: number;
  /** Cpu/memory metrics it scales on. */
  readonly resourceMetrics: readonly ResourceMetric[];
  /** Every metric or trigger it scales on, resource or not. */
  readonly metricCount: number;
  /** Whether it results in an HPA of its own (an HTTPScaledObject that skips its ScaledObject does not). */
  readonly producesHpa: boolean;
  /** The HPA scale-down stabilization window it sets explicitly, in seconds. */
  readonly scaleDownStabilization?: number;
}

/** A route backendRef with its defaults applied (core group, kind Service, the route's namespace). */
export interface BackendRef {
  group: string;
  kind: string;
  name: string;
  namespace: string;
  port?: number;
}

/** One rule of a route: its position, backends and timeouts. */
export interface RouteRule {
  index: number;
  backendRefs: BackendRef[];
  timeouts: { request?: unknown; backendRequest?: unknown };
}

/** A VerticalPodAutoscaler, defaults applied. */
export interface Vpa {
  readonly object: KubeObject;
  readonly namespace: string;
  readonly target?: { kind: string; name: string };
  /** `spec.updatePolicy.updateMode`, `Auto` when unset (the VPA default). */
  readonly mode: string;
}

// ---- identity ------------------------------------------------------------------------------

/** Kinds that live outside namespaces (the ones a manifest directory plausibly holds). */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'RuntimeClass', 'IngressClass',
  'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService', 'GatewayClass',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'CSIDriver', 'VolumeSnapshotClass', 'ClusterIssuer',
  'ClusterTriggerAuthentication', 'ClusterSecretStore', 'PodSecurityPolicy',
]);

/** The namespace an object lands in: '' when cluster-scoped, `default` when a namespaced object names none. */
export function namespaceOf(o: KubeObject): string {
  if (CLUSTER_SCOPED.has(o.kind)) return '';
  return o.metadata.namespace || 'default';
}

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → ''). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

/** A violation of `rule` on object `o`. */
export function violation(rule: RuleInfo, o: KubeObject, message: string, fix: string, level: Level = rule.level): Violation {
  return { rule: rule.name, level, namespace: namespaceOf(o), kind: o.kind, name: o.metadata.name, message, fix };
}

export function settingsOf(options?: RuleOptions): PlatformSettings {
  return options?.settings ?? DEFAULT_PLATFORM_SETTINGS;
}

/** `o.spec` as a record ({} when absent). */
export function specOf(o: KubeObject): Record<string, any> {
  const spec = o.spec;
  return spec && typeof spec === 'object' ? (spec as Record<string, any>) : {};
}

export function labelsOf(o: KubeObject): Record<string, string> {
  return o.metadata.labels ?? {};
}

export function annotationsOf(o: KubeObject): Record<string, string> {
  return o.metadata.annotations ?? {};
}

export function asArray<T = any>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

// ---- workloads -------------------------------------------------------------------------------

/** Kinds that run pods from a template (KEDA's ScaledJob creates Jobs from `spec.jobTargetRef`). */
export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'DaemonSet', 'Job', 'CronJob', 'ScaledJob', 'Pod']);

/** Kinds an autoscaler can scale (they have a `/scale` subresource and `spec.replicas`). */
export const SCALABLE_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

/** The pod template's `metadata` and `spec` of a workload, or the pod itself. */
export function podTemplate(o: KubeObject): { labels: Record<string, string>; annotations: Record<string, string>; spec: Record<string, any> } | undefined {
  if (!WORKLOAD_KINDS.has(o.kind)) return undefined;
  const spec = specOf(o);
  let template: Record<string, any> | undefined;
  if (o.kind === 'Pod') template = { metadata: o.metadata, spec };
  else if (o.kind === 'CronJob') template = spec.jobTemplate?.spec?.template;
  // keda.sh/v1alpha1 ScaledJob: jobTargetRef is a batch/v1 JobSpec (kedacore/keda@v2.20.2 apis/keda/v1alpha1/scaledjob_types.go:57).
  else if (o.kind === 'ScaledJob') template = spec.jobTargetRef?.template;
  else template = spec.template;
  if (!template || typeof template !== 'object') return undefined;
  const meta = (template.metadata ?? {}) as Record<string, any>;
  return { labels: meta.labels ?? {}, annotations: meta.annotations ?? {}, spec: (template.spec ?? {}) as Record<string, any> };
}

/** The regular containers of a workload (not init or ephemeral containers). */
export function containersOf(o: KubeObject): Container[] {
  return asArray<Container>(podTemplate(o)?.spec.containers);
}

/** Every container of a workload, init and ephemeral ones included, with the list it came from. */
export function allContainersOf(o: KubeObject): { container: Container; list: string }[] {
  const spec = podTemplate(o)?.spec;
  if (!spec) return [];
  return ['initContainers', 'containers', 'ephemeralContainers'].flatMap((list) =>
    asArray<Container>(spec[list]).map((container) => ({ container, list })),
  );
}

// ---- label selectors ---------------------------------------------------------------------

/**
 * Whether a label selector selects these labels. An empty selector selects everything; a missing
 * one (undefined) selects nothing, as for PodDisruptionBudgets in policy/v1.
 */
export function selectorMatches(selector: LabelSelector | undefined | null, labels: Record<string, string>): boolean {
  if (!selector || typeof selector !== 'object') return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

// ---- durations -------------------------------------------------------------------------------

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Seconds of a Go/Gateway API duration (`90s`, `1m30s`, `500ms`, `1h`); undefined if malformed. */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (value === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value)) !== null) {
    total += Number(m[1]) * DURATION_UNITS[m[2]];
    consumed = re.lastIndex;
  }
  return consumed === value.length ? total : undefined;
}

/** `90` → `90s`, `0.5` → `500ms`, `150` → `2m30s`: for messages. */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  const s = Math.round(seconds * 1000) / 1000;
  if (s < 60 || s % 60 !== 0) return `${s}s`;
  return `${s / 60}m`;
}

// ---- hostnames -----------------------------------------------------------------------------

/** Whether a route hostname (possibly `*.example.com`) matches a concrete or wildcard host. */
export function hostnameMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === h) return true;
  if (p.startsWith('*.')) {
    const suffix = p.slice(1); // ".example.com"
    return h.endsWith(suffix) && h.length > suffix.length && !h.startsWith('*.');
  }
  return false;
}

// ---- autoscalers -------------------------------------------------------------------------------

export const SKIP_SCALEDOBJECT_ANNOTATION = 'httpscaledobject.keda.sh/skip-scaledobject-creation';
export const TRANSFER_HPA_ANNOTATION = 'scaledobject.keda.sh/transfer-hpa-ownership';

function ownedBy(o: KubeObject, kind: string): boolean {
  const owners = asArray<{ kind?: string }>((o.metadata as Record<string, unknown>).ownerReferences);
  return owners.some((r) => r.kind === kind);
}

function isResourceName(value: unknown): value is ScaledResource {
  return value === 'cpu' || value === 'memory';
}

function hpaScaler(o: KubeObject): Scaler {
  const spec = specOf(o);
  const ref = spec.scaleTargetRef ?? {};
  const resourceMetrics: ResourceMetric[] = [];
  let metricCount = 0;
  if (o.apiVersion === 'autoscaling/v1') {
    // autoscaling/v1 scales on CPU only (80% when targetCPUUtilizationPercentage is unset).
    resourceMetrics.push({ resource: 'cpu' });
    metricCount = 1;
  } else {
    const metrics = asArray<Record<string, any>>(spec.metrics);
    if (metrics.length === 0) {
      // autoscaling/v2 defaults to 80% average CPU utilization.
      resourceMetrics.push({ resource: 'cpu' });
      metricCount = 1;
    }
    for (const m of metrics) {
      metricCount++;
      if (m.type === 'Resource' && isResourceName(m.resource?.name)) resourceMetrics.push({ resource: m.resource.name });
      if (m.type === 'ContainerResource' && isResourceName(m.containerResource?.name)) {
        resourceMetrics.push({ resource: m.containerResource.name, container: m.containerResource.container });
      }
    }
  }
  const min = isNumber(spec.minReplicas) ? spec.minReplicas : 1;
  const window = spec.behavior?.scaleDown?.stabilizationWindowSeconds;
  return {
    object: o,
    namespace: namespaceOf(o),
    target: ref.name ? { kind: ref.kind ?? 'Deployment', name: ref.name } : undefined,
    min,
    idleMin: min,
    max: isNumber(spec.maxReplicas) ? spec.maxReplicas : min,
    resourceMetrics,
    metricCount,
    producesHpa: true,
    scaleDownStabilization: isNumber(window) ? window : undefined,
  };
}

function scaledObjectScaler(o: KubeObject): Scaler {
  const spec = specOf(o);
  const ref = spec.scaleTargetRef ?? {};
  const triggers = asArray<Record<string, any>>(spec.triggers);
  const resourceMetrics: ResourceMetric[] = triggers
    .filter((t) => isResourceName(t.type))
    .map((t) => ({ resource: t.type as ScaledResource, container: t.metadata?.containerName || undefined }));
  const min = isNumber(spec.minReplicaCount) ? spec.minReplicaCount : 0;
  const window = spec.advanced?.horizontalPodAutoscalerConfig?.behavior?.scaleDown?.stabilizationWindowSeconds;
  return {
    object: o,
    namespace: namespaceOf(o),
    target: ref.name ? { kind: ref.kind ?? 'Deployment', name: ref.name } : undefined,
    min,
    idleMin: isNumber(spec.idleReplicaCount) ? spec.idleReplicaCount : min,
    max: isNumber(spec.maxReplicaCount) ? spec.maxReplicaCount : 100,
    resourceMetrics,
    metricCount: triggers.length,
    producesHpa: true,
    scaleDownStabilization: isNumber(window) ? window : undefined,
  };
}

function httpScaledObjectScaler(o: KubeObject): Scaler {
  const spec = specOf(o);
  const ref = spec.scaleTargetRef ?? {};
  // Before v0.8 the target was `scaleTargetRef.deployment`.
  const name = ref.name ?? ref.deployment;
  const min = isNumber(spec.replicas?.min) ? spec.replicas.min : 0;
  return {
    object: o,
    namespace: namespaceOf(o),
    target: name ? { kind: ref.kind ?? 'Deployment', name } : undefined,
    min,
    idleMin: min,
    max: isNumber(spec.replicas?.max) ? spec.replicas.max : 100,
    resourceMetrics: [],
    metricCount: 1,
    producesHpa: annotationsOf(o)[SKIP_SCALEDOBJECT_ANNOTATION] !== 'true',
  };
}

/**
 * Every horizontal autoscaler among the objects. Objects a controller generated from another one
 * found here (KEDA's `keda-hpa-*` HPAs, the ScaledObject an HTTPScaledObject creates) are left
 * out, so a manifest dump taken from a live cluster does not count an autoscaler twice.
 */
export function scalersOf(objects: readonly KubeObject[]): Scaler[] {
  const takenOver = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'ScaledObject' || annotationsOf(o)[TRANSFER_HPA_ANNOTATION] !== 'true') continue;
    const hpaName = specOf(o).advanced?.horizontalPodAutoscalerConfig?.name;
    if (typeof hpaName === 'string') takenOver.add(objectKey('HorizontalPodAutoscaler', namespaceOf(o), hpaName));
  }
  const scalers: Scaler[] = [];
  for (const o of objects) {
    const group = groupOf(o.apiVersion);
    if (o.kind === 'HorizontalPodAutoscaler' && group === 'autoscaling') {
      if (ownedBy(o, 'ScaledObject') || labelsOf(o)['scaledobject.keda.sh/name']) continue;
      if (takenOver.has(objectKey(o.kind, namespaceOf(o), o.metadata.name))) continue;
      scalers.push(hpaScaler(o));
    } else if (o.kind === 'ScaledObject' && group === 'keda.sh') {
      if (ownedBy(o, 'HTTPScaledObject')) continue;
      scalers.push(scaledObjectScaler(o));
    } else if (o.kind === 'HTTPScaledObject' && group === 'http.keda.sh') {
      scalers.push(httpScaledObjectScaler(o));
    }
  }
  return scalers;
}

/** Objects by kind, namespace and name. */
export function indexObjects(objects: readonly KubeObject[]): Map<string, KubeObject> {
  const index = new Map<string, KubeObject>();
  for (const o of objects) {
    const key = objectKey(o.kind, namespaceOf(o), o.metadata.name);
    if (!index.has(key)) index.set(key, o);
  }
  return index;
}

/** The workload an autoscaler scales, if it is among the objects. */
export function targetOf(scaler: Scaler, index: Map<string, KubeObject>): KubeObject | undefined {
  if (!scaler.target) return undefined;
  return index.get(objectKey(scaler.target.kind, scaler.namespace, scaler.target.name));
}

/** `Kind/name` for messages. */
export function ref(o: { kind: string; metadata: { name: string } }): string {
  return `${o.kind}/${o.metadata.name}`;
}

// ---- stateful workloads ------------------------------------------------------------------------

/**
 * Why a workload holds state that scaling to zero would lose, or undefined. Signals: a StatefulSet;
 * the `tenantscale.io/stateful: "true"` label or annotation on the workload, its pod template or its
 * Namespace; and the Recreate strategy tenantscale gives exactly its stateful tenants (a paired
 * session must never run twice).
 */
export function statefulReason(workload: KubeObject, namespace?: KubeObject): string | undefined {
  if (workload.kind === 'StatefulSet') return 'it is a StatefulSet';
  const marked = (o: { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined) =>
    o?.labels?.[LABELS.stateful] === 'true' || o?.annotations?.[LABELS.stateful] === 'true';
  if (marked(workload.metadata)) return `it is marked ${LABELS.stateful}: "true"`;
  const template = podTemplate(workload);
  if (template && marked(template)) return `its pods are marked ${LABELS.stateful}: "true"`;
  if (namespace && marked(namespace.metadata)) return `its namespace is marked ${LABELS.stateful}: "true"`;
  if (labelsOf(workload)[LABELS.managedBy] === MANAGER && workload.kind === 'Deployment' && specOf(workload).strategy?.type === 'Recreate') {
    return 'tenantscale gives the Recreate strategy only to stateful tenants';
  }
  return undefined;
}

// ---- routes -------------------------------------------------------------------------------------

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** Route kinds of the Gateway API that carry backendRefs. */
export const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']);

export function isRoute(o: KubeObject): boolean {
  return ROUTE_KINDS.has(o.kind) && groupOf(o.apiVersion) === GATEWAY_GROUP;
}

export function isHttpRoute(o: KubeObject): boolean {
  return o.kind === 'HTTPRoute' && groupOf(o.apiVersion) === GATEWAY_GROUP;
}

/** A route's rules with backendRef defaults applied (core group, kind Service, the route's namespace). */
export function routeRules(route: KubeObject): RouteRule[] {
  const namespace = namespaceOf(route);
  return asArray<Record<string, any>>(specOf(route).rules).map((rule, index) => ({
    index,
    backendRefs: asArray<Record<string, any>>(rule.backendRefs).map((b) => ({
      group: b.group ?? '',
      kind: b.kind ?? 'Service',
      name: String(b.name ?? ''),
      namespace: b.namespace ?? namespace,
      port: isNumber(b.port) ? b.port : undefined,
    })),
    timeouts: (rule.timeouts ?? {}) as RouteRule['timeouts'],
  }));
}

export function routeHostnames(route: KubeObject): string[] {
  return asArray<string>(specOf(route).hostnames).filter((h) => typeof h === 'string');
}

/** Whether a backendRef is the KEDA HTTP add-on's interceptor proxy Service. */
export function isInterceptor(b: BackendRef, settings: PlatformSettings): boolean {
  return b.group === '' && b.kind === 'Service' && b.name === settings.interceptor.service;
}

/** HTTPScaledObject hosts. */
export function httpScaledHosts(o: KubeObject): string[] {
  return asArray<string>(specOf(o).hosts).filter((h) => typeof h === 'string');
}

export function isHttpScaledObject(o: KubeObject): boolean {
  return o.kind === 'HTTPScaledObject' && groupOf(o.apiVersion) === 'http.keda.sh';
}

/** Namespace objects by name. */
export function namespacesByName(objects: readonly KubeObject[]): Map<string, KubeObject> {
  const map = new Map<string, KubeObject>();
  for (const o of objects) if (o.kind === 'Namespace' && o.apiVersion === 'v1') map.set(o.metadata.name, o);
  return map;
}

// ---- vertical pod autoscalers ----------------------------------------------------------------

export function isVpa(o: KubeObject): boolean {
  return o.kind === 'VerticalPodAutoscaler' && groupOf(o.apiVersion) === 'autoscaling.k8s.io';
}

export function vpaOf(o: KubeObject): Vpa {
  const spec = specOf(o);
  const target = spec.targetRef;
  return {
    object: o,
    namespace: namespaceOf(o),
    target: target?.name ? { kind: target.kind ?? 'Deployment', name: target.name } : undefined,
    mode: typeof spec.updatePolicy?.updateMode === 'string' ? spec.updatePolicy.updateMode : 'Auto',
  };
}

/**
 * The resources a VPA controls in each container (`controlledResources` defaults to cpu and
 * memory; a container policy with `mode: Off` exempts its container; `*` is the fallback policy).
 * Without the workload, the `*` policy (or the default) stands for every container.
 */
export function vpaControlled(vpa: Vpa, workload: KubeObject | undefined): Map<string, Set<ScaledResource>> {
  const policies = asArray<Record<string, any>>(specOf(vpa.object).resourcePolicy?.containerPolicies);
  const names = workload ? containersOf(workload).map((c) => c.name) : ['*'];
  const result = new Map<string, Set<ScaledResource>>();
  for (const name of names) {
    const policy = policies.find((p) => p.containerName === name) ?? policies.find((p) => p.containerName === '*');
    if (policy?.mode === 'Off') continue;
    const resources = asArray<string>(policy?.controlledResources ?? ['cpu', 'memory']).filter(isResourceName);
    result.set(name, new Set(resources as ScaledResource[]));
  }
  return result;
}

// ---- indexes (each rule builds its own, once per call, so large directories stay linear) ------

/** Objects grouped by namespace ('' for cluster-scoped). */
export function groupByNamespace(objects: readonly KubeObject[]): Map<string, KubeObject[]> {
  const groups = new Map<string, KubeObject[]>();
  for (const o of objects) {
    const ns = namespaceOf(o);
    const list = groups.get(ns);
    if (list) list.push(o);
    else groups.set(ns, [o]);
  }
  return groups;
}

/** Appends to a list-valued map entry. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Finds the HTTPRoutes serving a host: those naming it exactly or by wildcard, else the catch-all
 * routes without hostnames (as a Gateway picks the most specific match).
 */
export function routeFinder(routes: readonly KubeObject[]): (host: string) => KubeObject[] {
  const exact = new Map<string, KubeObject[]>();
  const wildcard: { pattern: string; route: KubeObject }[] = [];
  const catchAll: KubeObject[] = [];
  const position = new Map(routes.map((r, i) => [r, i]));
  for (const route of routes) {
    const hostnames = routeHostnames(route);
    if (hostnames.length === 0) catchAll.push(route);
    for (const h of new Set(hostnames.map((x) => x.toLowerCase()))) {
      pushTo(exact, h, route);
      if (h.startsWith('*.')) wildcard.push({ pattern: h, route });
    }
  }
  return (host) => {
    const found = new Set(exact.get(host.toLowerCase()) ?? []);
    for (const w of wildcard) if (hostnameMatches(w.pattern, host)) found.add(w.route);
    // In the routes' own order, so reports are stable.
    return found.size > 0 ? [...found].sort((a, b) => position.get(a)! - position.get(b)!) : catchAll;
  };
}
