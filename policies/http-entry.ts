/**
 * One view of the two ways the KEDA HTTP add-on routes and wakes a tenant, so that every rule
 * checks both the same way:
 * - an `HTTPScaledObject` (http.keda.sh/v1alpha1, deprecated at add-on 0.15 but still served);
 * - an `InterceptorRoute` (http.keda.sh/v1beta1) plus the KEDA `ScaledObject` whose `external-push`
 *   trigger names it (`metadata.interceptorRoute`, kedacore/http-add-on@v0.15.0
 *   pkg/k8s/scaledobject.go:13-17; the scaler looks the route up in the ScaledObject's own namespace,
 *   scaler/handlers.go:111-112).
 * The 0.15 interceptor turns every HTTPScaledObject into an InterceptorRoute in its routing table and
 * skips one that shares namespace and name with a real InterceptorRoute (the migration pair):
 * kedacore/http-add-on@v0.15.0 pkg/routing/table.go:71-117. Such a shadowed HTTPScaledObject is left
 * out here, as the interceptor leaves it out.
 */
import { asArray, durationSeconds, groupOf, isHttpScaledObject, isNumber, namespaceOf, objectKey, specOf } from './model';
import type { KubeObject } from './types';

/** The interceptor's timeout defaults at add-on 0.15 (kedacore/http-add-on@v0.15.0 interceptor/config/timeouts.go:14-24). */
export const INTERCEPTOR_DEFAULTS = {
  /** KEDA_HTTP_READINESS_TIMEOUT, 0 = no readiness deadline of its own (timeouts.go:19-24). */
  readinessSeconds: 0,
  /** KEDA_HTTP_RESPONSE_HEADER_TIMEOUT (timeouts.go:15-18). */
  responseHeaderSeconds: 300,
  /** KEDA_HTTP_REQUEST_TIMEOUT, 0 = no request deadline (timeouts.go:12-14). */
  requestSeconds: 0,
  /** The readiness deadline when a fallback Service is set and readiness is 0 (interceptor/middleware/endpoint_resolver.go:16,53-57). */
  fallbackReadinessSeconds: 30,
} as const;

/** One HTTP-woken tenant entry: an HTTPScaledObject, or an InterceptorRoute with its ScaledObject. */
export interface HttpEntry {
  /** The HTTPScaledObject or the InterceptorRoute. */
  readonly owner: KubeObject;
  readonly model: 'HTTPScaledObject' | 'InterceptorRoute';
  readonly namespace: string;
  /** Hosts as written; '' stands for the catch-all (no hosts, or `*`). */
  readonly hosts: readonly string[];
  /** Routing rules as the interceptor keys them (see interceptorKeys). */
  readonly rules: readonly { hosts: string[]; paths: string[]; headers: { name: string; value?: string }[] }[];
  /** The Service the interceptor forwards to and waits on, and where the owner names it. */
  readonly service?: string;
  readonly port?: number;
  readonly portName?: string;
  /** Field path of the target for messages: `scaleTargetRef` or `target`. */
  readonly targetField: string;
  /** The autoscaler that wakes the workload: the HTTPScaledObject itself, or the ScaledObject naming the route. */
  readonly scaler?: KubeObject;
  /** The workload the scaler scales. */
  readonly workload?: { kind: string; name: string };
  /** Interceptor timeouts with the 0.15 defaults applied; undefined when malformed. */
  readonly timeouts: EntryTimeouts;
}

/** The interceptor timeouts of one entry, in seconds, and whether each was set explicitly. */
export interface EntryTimeouts {
  readonly readiness?: number;
  readonly readinessSet: boolean;
  readonly responseHeader?: number;
  readonly request?: number;
  /** Whether a fallback Service catches a wake that exceeds readiness. */
  readonly hasFallback: boolean;
  /** Field names for messages and fixes. */
  readonly readinessField: string;
  readonly responseHeaderField: string;
}

export function isInterceptorRoute(o: KubeObject): boolean {
  return o.kind === 'InterceptorRoute' && groupOf(o.apiVersion) === 'http.keda.sh';
}

/** The InterceptorRoute an `external-push` trigger of a ScaledObject names, if any. */
export function interceptorRouteNamed(so: KubeObject): string | undefined {
  if (so.kind !== 'ScaledObject' || groupOf(so.apiVersion) !== 'keda.sh') return undefined;
  for (const t of asArray<Record<string, any>>(specOf(so).triggers)) {
    const name = t?.metadata?.interceptorRoute;
    if (t?.type === 'external-push' && typeof name === 'string' && name !== '') return name;
  }
  return undefined;
}

/** A duration field in seconds: the default when unset, undefined when malformed. */
function seconds(value: unknown, fallback: number): number | undefined {
  return value === undefined ? fallback : durationSeconds(value);
}

function strings(value: unknown): string[] {
  return asArray<unknown>(value).filter((x): x is string => typeof x === 'string');
}

function headerList(value: unknown): { name: string; value?: string }[] {
  return asArray<Record<string, any>>(value)
    .filter((h) => typeof h?.name === 'string')
    .map((h) => ({ name: h.name, ...(typeof h.value === 'string' ? { value: h.value } : {}) }));
}

/** The host list with the catch-all ('' for no hosts or `*`, kedacore/http-add-on@v0.15.0 pkg/routing/key.go:72-89). */
function hostsOf(hosts: string[]): string[] {
  return hosts.length === 0 ? [''] : hosts.map((h) => (h === '*' ? '' : h));
}

function httpScaledEntry(hso: KubeObject): HttpEntry {
  const spec = specOf(hso);
  const target = spec.scaleTargetRef ?? {};
  const t = spec.timeouts ?? {};
  const failover = spec.coldStartTimeoutFailoverRef;
  // The 0.15 interceptor copies conditionWait/responseHeader only when > 0, and a failover's
  // timeoutSeconds (CRD default 30) into readiness (pkg/routing/table.go:119-142).
  const conditionWait = durationSeconds(t.conditionWait);
  const failoverWait = failover ? (isNumber(failover.timeoutSeconds) ? failover.timeoutSeconds : INTERCEPTOR_DEFAULTS.fallbackReadinessSeconds) : undefined;
  const readinessSet = (conditionWait !== undefined && conditionWait > 0) || failoverWait !== undefined;
  const readiness = failoverWait ?? (t.conditionWait === undefined || conditionWait === 0 ? INTERCEPTOR_DEFAULTS.readinessSeconds : conditionWait);
  const header = durationSeconds(t.responseHeader);
  const hosts = strings(spec.hosts);
  const paths = strings(spec.pathPrefixes);
  const name = target.name ?? target.deployment;
  return {
    owner: hso,
    model: 'HTTPScaledObject',
    namespace: namespaceOf(hso),
    hosts,
    rules: [{ hosts: hostsOf(hosts), paths: paths.length > 0 ? paths : [''], headers: headerList(spec.headers) }],
    service: typeof target.service === 'string' ? target.service : undefined,
    port: isNumber(target.port) ? target.port : undefined,
    portName: typeof target.portName === 'string' ? target.portName : undefined,
    targetField: 'scaleTargetRef',
    scaler: hso,
    workload: name ? { kind: target.kind ?? 'Deployment', name } : undefined,
    timeouts: {
      readiness,
      readinessSet,
      responseHeader: t.responseHeader === undefined || header === 0 ? INTERCEPTOR_DEFAULTS.responseHeaderSeconds : header,
      request: INTERCEPTOR_DEFAULTS.requestSeconds,
      hasFallback: failover !== undefined,
      readinessField: failover ? 'coldStartTimeoutFailoverRef.timeoutSeconds' : 'timeouts.conditionWait',
      responseHeaderField: 'timeouts.responseHeader',
    },
  };
}

function interceptorRouteEntry(ir: KubeObject, scaler: KubeObject | undefined): HttpEntry {
  const spec = specOf(ir);
  const target = spec.target ?? {};
  const t = spec.timeouts ?? {};
  const rules = asArray<Record<string, any>>(spec.rules).map((r) => {
    const paths = asArray<Record<string, any>>(r.paths).map((p) => (typeof p?.value === 'string' ? p.value : ''));
    return { hosts: hostsOf(strings(r.hosts)), paths: paths.length > 0 ? paths : [''], headers: headerList(r.headers) };
  });
  const ref = scaler ? specOf(scaler).scaleTargetRef ?? {} : {};
  return {
    owner: ir,
    model: 'InterceptorRoute',
    namespace: namespaceOf(ir),
    hosts: [...new Set(asArray<Record<string, any>>(spec.rules).flatMap((r) => strings(r.hosts)))],
    rules,
    service: typeof target.service === 'string' ? target.service : undefined,
    port: isNumber(target.port) ? target.port : undefined,
    portName: typeof target.portName === 'string' ? target.portName : undefined,
    targetField: 'target',
    scaler,
    workload: ref.name ? { kind: ref.kind ?? 'Deployment', name: ref.name } : undefined,
    timeouts: {
      readiness: seconds(t.readiness, INTERCEPTOR_DEFAULTS.readinessSeconds),
      readinessSet: t.readiness !== undefined,
      responseHeader: seconds(t.responseHeader, INTERCEPTOR_DEFAULTS.responseHeaderSeconds),
      request: seconds(t.request, INTERCEPTOR_DEFAULTS.requestSeconds),
      hasFallback: spec.coldStart?.fallback?.service !== undefined,
      readinessField: 'timeouts.readiness',
      responseHeaderField: 'timeouts.responseHeader',
    },
  };
}

/** Every HTTP entry among the objects: InterceptorRoutes (with their ScaledObject) and the HTTPScaledObjects they do not shadow. */
export function httpEntries(objects: readonly KubeObject[]): HttpEntry[] {
  const scalers = new Map<string, KubeObject>();
  for (const o of objects) {
    const name = interceptorRouteNamed(o);
    const key = name === undefined ? undefined : objectKey('InterceptorRoute', namespaceOf(o), name);
    if (key !== undefined && !scalers.has(key)) scalers.set(key, o);
  }
  const routes = objects.filter(isInterceptorRoute);
  const routeKeys = new Set(routes.map((ir) => `${namespaceOf(ir)}/${ir.metadata.name}`));
  return [
    ...routes.map((ir) => interceptorRouteEntry(ir, scalers.get(objectKey('InterceptorRoute', namespaceOf(ir), ir.metadata.name)))),
    ...objects.filter((o) => isHttpScaledObject(o) && !routeKeys.has(`${namespaceOf(o)}/${o.metadata.name}`)).map(httpScaledEntry),
  ];
}

/** ScaledObjects whose external-push trigger names an InterceptorRoute that is not among the objects. */
export function orphanedInterceptorScalers(objects: readonly KubeObject[]): { scaler: KubeObject; route: string }[] {
  const routes = new Set(objects.filter(isInterceptorRoute).map((ir) => `${namespaceOf(ir)}/${ir.metadata.name}`));
  const out: { scaler: KubeObject; route: string }[] = [];
  for (const o of objects) {
    const name = interceptorRouteNamed(o);
    if (name !== undefined && !routes.has(`${namespaceOf(o)}/${name}`)) out.push({ scaler: o, route: name });
  }
  return out;
}
