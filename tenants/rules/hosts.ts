/**
 * Host rules: what the Gateway (HTTPRoute `spec.hostnames`) and the interceptor can route, and
 * which hosts two tenants would share.
 */
import { parse as parseDomain } from 'tldts';
import type { Problem } from '../problem';

/**
 * Most hostnames of one HTTPRoute (kubernetes-sigs/gateway-api@v1.6.1
 * config/crd/standard/gateway.networking.k8s.io_httproutes.yaml, spec.hostnames `maxItems: 16`).
 */
export const MAX_HOSTS = 16;

/** Why a single host cannot be routed to a tenant, or undefined. Pure. */
export function hostReason(host: string): { message: string; fix: string } | undefined {
  const bare = host.startsWith('*.') ? host.slice(2) : host;
  const labels = bare.split('.');
  // Gateway API Hostname: "IPs are not allowed" (same CRD, spec.hostnames.items description).
  if (/^\d+$/.test(labels[labels.length - 1]) || parseDomain(bare).isIp === true) {
    return { message: 'an IP address is not a hostname; HTTPRoute hostnames must be DNS names', fix: 'use the DNS name that points at the Gateway, e.g. "ahmed.tenants.example.com"' };
  }
  if (labels[labels.length - 1] === 'localhost') {
    return { message: '"localhost" names the client\'s own machine (RFC 6761): no request for it reaches the Gateway', fix: 'use a DNS name that points at the Gateway; for a local cluster, e.g. "ahmed.127.0.0.1.nip.io"' };
  }
  if (host.startsWith('*.')) {
    const parsed = parseDomain(bare, { allowPrivateDomains: true });
    if (parsed.publicSuffix === bare) {
      return {
        message: `"${host}" covers every domain under the public suffix "${bare}": the tenant would capture traffic for names it cannot own`,
        fix: `claim a domain you control, e.g. "*.${bare === 'com' ? 'acme.com' : `acme.${bare}`}"`,
      };
    }
  }
  return undefined;
}

/** Problems of one tenant's hosts: each host on its own (see `hostReason`). Pure. */
export function hostProblems(tenant: string, hosts: readonly unknown[]): Problem[] {
  const problems: Problem[] = [];
  hosts.forEach((host, i) => {
    if (typeof host !== 'string') return;
    const reason = hostReason(host);
    if (reason) {
      problems.push({
        tenant,
        field: `hosts.${i}`,
        value: host,
        message: reason.message,
        allowed: 'a DNS name under a domain you control, optionally "*." followed by such a name (no IP addresses, localhost or public suffixes)',
        fix: reason.fix,
      });
    }
  });
  return problems;
}

/**
 * True if the wildcard `pattern` (`*.acme.com`) matches `host`: Gateway API reads `*.` as a
 * suffix match of one or more labels, so `*.acme.com` matches `login.acme.com` and
 * `a.b.acme.com` but not `acme.com` (same CRD, spec.hostnames description). A wildcard also
 * covers a narrower wildcard (`*.eu.acme.com`). Pure.
 */
export function wildcardCovers(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return false;
  const suffix = pattern.slice(1).toLowerCase();
  const h = host.toLowerCase();
  const bare = h.startsWith('*.') ? h.slice(1) : `.${h}`;
  return bare !== suffix && bare.endsWith(suffix);
}

/** One tenant's hosts, for the cross-tenant overlap rule. */
export interface TenantHosts {
  readonly tenant: string;
  readonly hosts: readonly string[];
}

/**
 * A wildcard host of one tenant that covers another tenant's host: both the Gateway (longest
 * non-wildcard match wins) and the interceptor prefer the exact host, so the wildcard tenant
 * silently loses part of its traffic to the other, or captures what a later tenant meant to
 * claim. Reported on the tenant holding the wildcard. Pure. The wildcards are indexed by the
 * domain after `*.`, so each host costs one lookup per label above it: 20,000 tenants with a
 * wildcard each took 76 s when every host was compared with every wildcard. At most `limit`.
 */
export function wildcardOverlaps(tenants: readonly TenantHosts[], limit = Infinity): { tenant: string; wildcard: string; other: string; host: string }[] {
  // Each (tenant, wildcard) once: entries sharing a name would otherwise scan all their copies.
  const seen = new Set<string>();
  const wildcards = tenants
    .flatMap((t) => t.hosts.filter((h) => h.startsWith('*.')).map((wildcard) => ({ tenant: t.tenant, wildcard })))
    .filter((w) => {
      const key = `${w.tenant}\n${w.wildcard.toLowerCase()}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  if (wildcards.length === 0) return [];
  const byBase = new Map<string, number[]>();
  wildcards.forEach((w, at) => {
    const base = w.wildcard.slice(2).toLowerCase();
    (byBase.get(base) ?? byBase.set(base, []).get(base)!).push(at);
  });
  const out: { tenant: string; wildcard: string; other: string; host: string }[] = [];
  for (const other of tenants) {
    for (const host of other.hosts) {
      // `*.<base>` covers the names strictly under <base> (see `wildcardCovers`).
      const labels = (host.startsWith('*.') ? host.slice(2) : host).toLowerCase().split('.');
      const covering = labels.slice(1).flatMap((_, i) => byBase.get(labels.slice(i + 1).join('.')) ?? []).sort((a, b) => a - b);
      for (const at of covering) {
        const w = wildcards[at];
        if (w.tenant !== other.tenant) out.push({ tenant: w.tenant, wildcard: w.wildcard, other: other.tenant, host });
        // N tenants with one wildcard over each other's hosts make N² overlaps: stop at `limit`.
        if (out.length >= limit) return out;
      }
    }
  }
  return out;
}

/** The problem for one overlap, phrased for the tenant holding the wildcard. */
export function overlapProblem(o: { tenant: string; wildcard: string; other: string; host: string }): Problem {
  return {
    tenant: o.tenant,
    field: 'hosts',
    value: o.wildcard,
    message: `"${o.wildcard}" covers "${o.host}" of tenant "${o.other}"; the Gateway and the interceptor route the exact host to "${o.other}", so the two tenants split that traffic`,
    allowed: 'hosts no other tenant\'s host falls under: a wildcard only over names this tenant alone serves',
    fix: `give "${o.other}" a host outside ${o.wildcard.slice(2)}, or replace "${o.wildcard}" with the exact hosts this tenant serves`,
  };
}
