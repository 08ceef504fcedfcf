/**
 * Ingress as an entry path to the KEDA HTTP add-on's interceptor. The add-on's own example sends
 * an Ingress to an ExternalName Service in the app's namespace whose externalName is the
 * interceptor proxy (kedacore/http-add-on@v0.15.0 examples/xkcd/templates/ingress.yaml:14-21 and
 * externalservice.yaml:1-9: `externalName: keda-add-ons-http-interceptor-proxy.keda`, port 8080),
 * because an Ingress backend can only name a Service in its own namespace.
 */
import type { PlatformSettings } from '../../constructs/platform-settings';
import { asArray, groupOf, isNumber, namespaceOf, specOf } from '../model';
import type { KubeObject } from '../types';

/** One Ingress backend that serves a host. */
export interface IngressEntry {
  readonly ingress: KubeObject;
  /** `rules[i].http.paths[j]` or `defaultBackend`, for messages. */
  readonly where: string;
  readonly service: string;
  readonly port?: number | string;
}

export function isIngress(o: KubeObject): boolean {
  return o.kind === 'Ingress' && groupOf(o.apiVersion) === 'networking.k8s.io';
}

/**
 * Whether an Ingress rule host matches a request host: exact, or a `*.` wildcard covering exactly
 * one label (Kubernetes networking/v1 IngressRule.host: "*.foo.com" matches "bar.foo.com", not
 * "baz.bar.foo.com"); a rule without host matches every host.
 */
export function ingressHostMatches(pattern: string | undefined, host: string): boolean {
  if (pattern === undefined || pattern === '') return true;
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (!p.startsWith('*.')) return p === h;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot) === p.slice(1) && !h.startsWith('*');
}

function backendOf(backend: Record<string, any> | undefined): { service: string; port?: number | string } | undefined {
  const service = backend?.service;
  if (!service || typeof service.name !== 'string') return undefined;
  const port = isNumber(service.port?.number) ? service.port.number : typeof service.port?.name === 'string' ? service.port.name : undefined;
  return { service: service.name, port };
}

/** The Ingress backends that serve `host`: the matching rules' paths, else the default backend. */
export function ingressEntriesFor(ingresses: readonly KubeObject[], host: string): IngressEntry[] {
  const out: IngressEntry[] = [];
  for (const ingress of ingresses) {
    const spec = specOf(ingress);
    let matched = false;
    asArray<Record<string, any>>(spec.rules).forEach((rule, i) => {
      if (!ingressHostMatches(typeof rule.host === 'string' ? rule.host : undefined, host)) return;
      matched = true;
      asArray<Record<string, any>>(rule.http?.paths).forEach((path, j) => {
        const b = backendOf(path.backend);
        if (b) out.push({ ingress, where: `Ingress ${ingress.metadata.name} rules[${i}].http.paths[${j}]`, ...b });
      });
    });
    const fallback = backendOf(spec.defaultBackend);
    if (!matched && fallback && asArray(spec.rules).length === 0) out.push({ ingress, where: `Ingress ${ingress.metadata.name} defaultBackend`, ...fallback });
  }
  return out;
}

/** DNS names of the interceptor Service an ExternalName may use (optionally fully qualified). */
function interceptorNames(settings: PlatformSettings): Set<string> {
  const base = `${settings.interceptor.service}.${settings.interceptor.namespace}`;
  return new Set([base, `${base}.svc`, `${base}.svc.cluster.local`].flatMap((n) => [n, `${n}.`]));
}

/** Core Services by `namespace/name`, for reachesInterceptor. */
export function servicesByName(objects: readonly KubeObject[]): Map<string, KubeObject> {
  const out = new Map<string, KubeObject>();
  for (const o of objects) if (o.kind === 'Service' && groupOf(o.apiVersion) === '') out.set(`${namespaceOf(o)}/${o.metadata.name}`, o);
  return out;
}

/** undefined when the entry reaches the interceptor proxy port; otherwise why not. */
export function reachesInterceptor(entry: IngressEntry, services: ReadonlyMap<string, KubeObject>, settings: PlatformSettings): string | undefined {
  const namespace = namespaceOf(entry.ingress);
  const portOk = entry.port === undefined || entry.port === settings.interceptor.port;
  if (namespace === settings.interceptor.namespace && entry.service === settings.interceptor.service) {
    return portOk ? undefined : `but the interceptor proxy listens on ${settings.interceptor.port}`;
  }
  const service = services.get(`${namespace}/${entry.service}`);
  if (!service) return 'which is not among these manifests, so it cannot be the interceptor';
  const spec = specOf(service);
  if (spec.type !== 'ExternalName') return 'not to the interceptor';
  const target = String(spec.externalName ?? '').toLowerCase();
  if (!interceptorNames(settings).has(target)) return `an ExternalName for ${target}, not the interceptor ${settings.interceptor.service}.${settings.interceptor.namespace}`;
  // An ExternalName Service is a DNS alias: the Ingress controller connects to the named port as is.
  return portOk ? undefined : `an ExternalName for the interceptor, but on port ${entry.port} while the interceptor proxy listens on ${settings.interceptor.port}`;
}
