import { HttpEntry, httpEntries } from '../http-entry';
import { asArray, isHttpRoute, namespaceOf, pushTo, ref, routeHostnames, specOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'unique-hostnames',
  level: 'mandatory',
  description:
    "Two HTTPRoutes on the same Gateway listener with the same hostname and an identical match, or two HTTPScaledObjects or InterceptorRoutes (the interceptor keeps both kinds in one routing table) with the same host, path prefix and header match, tie: the Gateway or the interceptor serves only one of them (the oldest), so one tenant's traffic goes to another. A wildcard host of one namespace covering another namespace's host hands that host to the other tenant: both prefer the exact hostname. Routes that share a host but differ in path, method, header or query matches, or sit on different listeners (an HTTP→HTTPS redirect route), are merged as Gateway API defines and are fine.",
  pitfall: 'The Per-Tenant Pattern ("Their own routing, so traffic for customer A doesn\'t reach customer B")',
};

/** One parentRef of a route: the Gateway and, when named, the listener (sectionName) and port. */
interface Parent {
  readonly gateway: string;
  readonly section?: string;
  readonly port?: number;
}

/** A route's claim on one hostname ('' for a route without hostnames) through one parent. */
interface RouteClaim {
  readonly route: KubeObject;
  readonly parent: Parent;
  readonly host: string;
  /** Match signatures of every rule (see matchSignature). */
  readonly matches: ReadonlySet<string>;
}

function parentsOf(route: KubeObject): Parent[] {
  return asArray<Record<string, any>>(specOf(route).parentRefs)
    .filter((p) => (p.kind ?? 'Gateway') === 'Gateway' && (p.group ?? 'gateway.networking.k8s.io') === 'gateway.networking.k8s.io')
    .map((p) => ({
      gateway: `${p.namespace ?? namespaceOf(route)}/${p.name}`,
      section: typeof p.sectionName === 'string' ? p.sectionName : undefined,
      port: typeof p.port === 'number' ? p.port : undefined,
    }));
}

/**
 * Whether two parentRefs can attach to one listener: same Gateway, and the same sectionName and
 * port where both name one (a parentRef without sectionName attaches to every listener that
 * admits the route; gateway-api@v1.6.1 apis/v1/shared_types.go:92-110).
 */
function sameListener(a: Parent, b: Parent): boolean {
  if (a.gateway !== b.gateway) return false;
  if (a.section !== undefined && b.section !== undefined && a.section !== b.section) return false;
  return !(a.port !== undefined && b.port !== undefined && a.port !== b.port);
}

/**
 * A canonical form of one HTTPRouteMatch: path (type, value; default PathPrefix "/"), method,
 * headers (names case-insensitive) and query parameters, order-free. Two rules conflict only when
 * their signatures are equal: Gateway API orders every other pair by precedence
 * (gateway-api@v1.6.1 apis/v1/httproute_types.go:183-207: exact path, longest prefix, method,
 * most headers, most query params; only a full tie falls to the oldest route).
 */
export function matchSignature(match: Record<string, any>): string {
  const path = (match.path ?? {}) as Record<string, any>;
  const type = String(path.type ?? 'PathPrefix');
  let value = String(path.value ?? '/');
  // A PathPrefix matches path elements, so "/foo" and "/foo/" are the same prefix.
  if (type === 'PathPrefix' && value.length > 1) value = value.replace(/\/+$/, '');
  const pairs = (list: unknown, lower: boolean) =>
    asArray<Record<string, any>>(list)
      .map((h) => `${String(h.type ?? 'Exact')}:${lower ? String(h.name).toLowerCase() : String(h.name)}=${String(h.value)}`)
      .sort();
  return JSON.stringify([type, value, String(match.method ?? ''), pairs(match.headers, true), pairs(match.queryParams, false)]);
}

const DEFAULT_MATCH = matchSignature({});

function routeMatches(route: KubeObject): Set<string> {
  const out = new Set<string>();
  for (const rule of asArray<Record<string, any>>(specOf(route).rules)) {
    const matches = asArray<Record<string, any>>(rule.matches);
    if (matches.length === 0) out.add(DEFAULT_MATCH);
    for (const m of matches) out.add(matchSignature(m));
  }
  return out;
}

/** How a signature reads in a message. */
function describeMatch(signature: string): string {
  const [type, value, method, headers, query] = JSON.parse(signature) as [string, string, string, string[], string[]];
  const parts = [`${type} ${value}`];
  if (method) parts.push(`method ${method}`);
  if (headers.length > 0) parts.push(`headers ${headers.join(', ')}`);
  if (query.length > 0) parts.push(`query ${query.join(', ')}`);
  return parts.join(', ');
}

const who = (o: KubeObject) => `${namespaceOf(o)}/${ref(o)}`;

/**
 * `*.b.c` covers `a.b.c`, `x.a.b.c` and `*.a.b.c`, not `b.c` (apis/v1/httproute_types.go:89-91).
 * The interceptor also tries the one-label wildcard (`*.c` for `b.c`): `withTopLevel`
 * (kedacore/http-add-on@v0.15.0 pkg/routing/key.go:111-141).
 */
function coveringWildcards(host: string, withTopLevel = false): string[] {
  const labels = host.split('.');
  const out: string[] = [];
  for (let i = 1; i < labels.length - (withTopLevel ? 0 : 1); i++) out.push(`*.${labels.slice(i).join('.')}`);
  // `*.a.b.c` is covered by `*.b.c`: skip the host's own wildcard label.
  return host.startsWith('*.') ? out.filter((w) => w !== host) : out;
}

/** Route pairs that tie on a host: same listener and an identical match. */
function routeTies(claims: readonly RouteClaim[]): Violation[] {
  const byHost = new Map<string, RouteClaim[]>();
  for (const c of claims) pushTo(byHost, `${c.parent.gateway} ${c.host}`, c);
  const found = new Map<KubeObject, Map<string, string>>();
  for (const group of byHost.values()) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const [a, b] = [group[i], group[j]];
        if (a.route === b.route || !sameListener(a.parent, b.parent)) continue;
        const shared = [...a.matches].filter((m) => b.matches.has(m));
        if (shared.length === 0) continue;
        const listener = a.parent.section ?? b.parent.section;
        const where = `${a.host ? `hostname ${a.host}` : 'routes without hostnames'} on Gateway ${a.parent.gateway}${listener ? ` listener ${listener}` : ''}`;
        const what = shared.map(describeMatch).join('; ');
        for (const [self, other] of [[a, b], [b, a]] as const) {
          const messages = found.get(self.route) ?? new Map<string, string>();
          messages.set(`${where} ${who(other.route)}`, `${where} is also claimed by ${who(other.route)} with the same match (${what})`);
          found.set(self.route, messages);
        }
      }
    }
  }
  return [...found].flatMap(([route, messages]) =>
    [...messages.values()].map((m) =>
      violation(
        INFO,
        route,
        `${m}: Gateway API gives a tied match to the oldest route only, so the other never receives these requests, possibly another tenant's`,
        'give each tenant its own hostname; split one host between routes by distinct path, method or header matches, or merge the rules into one HTTPRoute',
      ),
    ),
  );
}

/** Pairs where a wildcard host of one namespace covers a host of another namespace. */
function wildcardCaptures<C extends { owner: KubeObject; host: string }>(
  claims: readonly C[],
  overlaps: (wildcard: C, exact: C) => boolean,
  preference: string,
  withTopLevel = false,
): Violation[] {
  const wildcards = new Map<string, C[]>();
  for (const c of claims) if (c.host.startsWith('*.')) pushTo(wildcards, c.host, c);
  if (wildcards.size === 0) return [];
  const out: Violation[] = [];
  const seen = new Set<string>();
  for (const exact of claims) {
    for (const pattern of coveringWildcards(exact.host, withTopLevel)) {
      for (const wildcard of wildcards.get(pattern) ?? []) {
        if (namespaceOf(wildcard.owner) === namespaceOf(exact.owner) || !overlaps(wildcard, exact)) continue;
        const key = `${who(wildcard.owner)} ${pattern} ${who(exact.owner)} ${exact.host}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const fix = `make the hosts of different tenants disjoint: list ${pattern}'s tenant's hosts explicitly, or move ${exact.host} out of ${pattern.slice(2)}`;
        out.push(
          violation(INFO, wildcard.owner, `wildcard host ${pattern} covers ${exact.host}, claimed by ${who(exact.owner)} in another namespace: ${preference}, so requests for ${exact.host} go to the other tenant`, fix),
          violation(INFO, exact.owner, `host ${exact.host} lies under ${pattern}, claimed by ${who(wildcard.owner)} in another namespace: ${preference}, so this tenant takes part of the other's domain`, fix),
        );
      }
    }
  }
  return out;
}

/**
 * A host as the interceptor keys it: port stripped, '' for the catch-all (no hosts or `*`,
 * kedacore/http-add-on@v0.15.0 pkg/routing/key.go:70-109). The interceptor compares hosts
 * byte-wise (pkg/routing/tablememory.go:59-62, the request's Host unchanged); lower-casing here
 * makes the rule also catch two tenants differing only in case, which DNS and the Gateway treat as one.
 */
function interceptorHost(host: string): string {
  const h = host.toLowerCase().replace(/:\d+$/, '');
  return h === '*' ? '' : h;
}

/** Header matches, order-free; names case-insensitive as Go's http.Header.Values reads them (tablememory.go:95-116). */
function headerSignature(headers: readonly { name: string; value?: string }[]): string {
  return headers.map((h) => `${h.name.toLowerCase()}${h.value === undefined ? '' : `=${h.value}`}`).sort().join(', ');
}

/**
 * Entries whose rules produce the same routing key (host, then path prefix with slashes trimmed:
 * pkg/routing/key.go:27-40) with the same header matches. The interceptor keeps such entries in one
 * list and tries them by header count, then age (pkg/routing/tablememory.go:118-154), so with equal
 * headers only the oldest ever matches. Different header matches on one key are a deliberate split.
 */
function interceptorTies(entries: readonly HttpEntry[]): Violation[] {
  const byKey = new Map<string, HttpEntry[]>();
  for (const entry of entries) {
    const keys = new Set<string>();
    for (const rule of entry.rules) {
      const headers = headerSignature(rule.headers);
      for (const host of rule.hosts) for (const path of rule.paths) keys.add(JSON.stringify([interceptorHost(host), path.replace(/^\/+|\/+$/g, ''), headers]));
    }
    for (const key of keys) pushTo(byKey, key, entry);
  }
  const out: Violation[] = [];
  for (const [key, owners] of byKey) {
    if (owners.length < 2) continue;
    const [host, path, headers] = JSON.parse(key) as [string, string, string];
    const what = `${host ? `hostname ${host}` : 'the catch-all host'}${path ? ` with path prefix /${path}` : ''}${headers ? ` and headers ${headers}` : ''}`;
    for (const entry of owners) {
      const others = owners.filter((x) => x !== entry).map((x) => who(x.owner)).join(', ');
      out.push(
        violation(
          INFO,
          entry.owner,
          `${what} is also claimed by ${others}: the interceptor routes and counts its requests for only one of them (the oldest), so the other never wakes or the wrong one does`,
          entry.model === 'InterceptorRoute'
            ? 'give each InterceptorRoute distinct spec.rules[].hosts, or distinct paths (or header matches) on a shared host'
            : 'give each HTTPScaledObject distinct hosts, or distinct pathPrefixes on a shared host',
        ),
      );
    }
  }
  return out;
}

/**
 * Rule 11: no two routes tie on a hostname and match on one listener, no two HTTPScaledObjects or
 * InterceptorRoutes share a host, path prefix and header match, and no tenant's wildcard host covers
 * another tenant's host.
 */
export function uniqueHostnames(objects: readonly KubeObject[]): Violation[] {
  const claims: RouteClaim[] = [];
  for (const route of objects.filter(isHttpRoute)) {
    const matches = routeMatches(route);
    const hosts = [...new Set(routeHostnames(route).map((h) => h.toLowerCase()))];
    for (const parent of parentsOf(route)) for (const host of hosts.length > 0 ? hosts : ['']) claims.push({ route, parent, host, matches });
  }
  const entries = httpEntries(objects);
  const entryClaims = entries.flatMap((e) => [...new Set(e.hosts.map(interceptorHost))].filter((host) => host !== '').map((host) => ({ owner: e.owner, host })));
  return [
    ...routeTies(claims),
    ...wildcardCaptures(
      claims.filter((c) => c.host !== '').map((c) => ({ ...c, owner: c.route })),
      (w, e) => sameListener(w.parent, e.parent),
      // gateway-api@v1.6.1 apis/v1/httproute_types.go:104-110
      'the Gateway gives precedence to the route with the longest matching non-wildcard hostname',
    ),
    ...interceptorTies(entries),
    // kedacore/http-add-on@v0.15.0 pkg/routing/tablememory.go:59-82: exact host first, then wildcards
    // from the most specific, then the catch-all.
    ...wildcardCaptures(entryClaims, () => true, 'the interceptor routes to the exact host before any wildcard', true),
  ];
}

export const uniqueHostnamesRule: ManifestRule = { ...INFO, check: uniqueHostnames };
