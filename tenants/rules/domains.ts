/**
 * Domain rules: a tenant's `domains` are the customer's own domains. No other tenant may route a
 * host under one of them (wildcards included) or claim an overlapping domain: on HTTPS the other
 * tenant would get a certificate for a name the customer owns (HTTP-01 only asks that the name
 * resolve to the shared Gateway, which every customer CNAME does).
 */
import type { Problem } from '../problem';
import { hostReason, wildcardCovers } from './hosts';

/** One tenant's hosts and owned domains, for the cross-tenant rule. */
export interface TenantDomains {
  readonly tenant: string;
  readonly hosts: readonly string[];
  readonly domains: readonly string[];
}

/** True if `name` (a host, `*.` wildcard or domain) is `domain` itself or a name under it. Pure. */
export function underDomain(name: string, domain: string): boolean {
  const n = (name.startsWith('*.') ? name.slice(2) : name).toLowerCase();
  const d = domain.toLowerCase();
  return n === d || n.endsWith(`.${d}`);
}

/** True if a host of one tenant falls into `domain`: under it, or a wildcard covering it. Pure. */
export function hostInDomain(host: string, domain: string): boolean {
  return underDomain(host, domain) || wildcardCovers(host, domain);
}

/** Problems of one tenant's domains on their own: a public suffix is nobody's domain. Pure. */
export function domainProblems(tenant: string, domains: readonly unknown[]): Problem[] {
  const problems: Problem[] = [];
  domains.forEach((domain, i) => {
    if (typeof domain !== 'string') return;
    // hostReason refuses "*.<public suffix>": the same test for the domain itself.
    const reason = hostReason(`*.${domain}`) ?? hostReason(domain);
    if (!reason) return;
    problems.push({
      tenant,
      field: `domains.${i}`,
      value: domain,
      message: reason.message.replace(`"*.${domain}" covers`, `"${domain}" is a public suffix: owning it covers`),
      allowed: 'a domain the customer registered (or a name under it), not a public suffix, IP address or localhost',
      fix: `name the customer's domain, e.g. "acme.${domain}"`,
    });
  });
  return problems;
}

/** `name` and every domain above it, lowercase (`a.b.c` → `a.b.c`, `b.c`, `c`). */
function selfAndAbove(name: string): string[] {
  const labels = name.toLowerCase().split('.');
  return labels.map((_, i) => labels.slice(i).join('.'));
}

/**
 * Hosts and domains of a tenant that fall into a domain another tenant owns. Reported on the
 * intruding tenant (for two overlapping `domains`, on the later entry). Pure. The owned domains
 * are indexed by name and by every domain above them, so each host or domain costs one lookup
 * per label: a list of 20,000 tenants with a domain each took 2 minutes when every host was
 * compared with every owned domain. At most `limit` problems.
 */
export function domainConflicts(tenants: readonly TenantDomains[], limit = Infinity): Problem[] {
  // Each (tenant, domain) once, at its first entry: entries sharing a name would otherwise make
  // every host of that name scan all their copies.
  const seen = new Set<string>();
  const owned = tenants.flatMap((t, index) => t.domains.map((domain) => ({ tenant: t.tenant, index, domain }))).filter((o) => {
    const key = `${o.tenant}\n${o.domain.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (owned.length === 0) return [];
  // Owned domains by their own name, and by each domain strictly above them (what `*.<that>` covers).
  const byName = new Map<string, number[]>();
  const byAbove = new Map<string, number[]>();
  const push = (map: Map<string, number[]>, key: string, at: number) => (map.get(key) ?? map.set(key, []).get(key)!).push(at);
  owned.forEach((o, at) => {
    const [self, ...above] = selfAndAbove(o.domain);
    push(byName, self, at);
    for (const a of above) push(byAbove, a, at);
  });
  /** Positions in `owned` of the domains `name` is in or above (see `hostInDomain`, `underDomain`). */
  const matches = (name: string, below: boolean): number[] => {
    const bare = name.startsWith('*.') ? name.slice(2) : name;
    const found = selfAndAbove(bare).flatMap((a) => byName.get(a) ?? []);
    return below ? [...found, ...(byAbove.get(bare.toLowerCase()) ?? [])] : found;
  };
  const out: Problem[] = [];
  for (const [index, t] of tenants.entries()) {
    // N tenants claiming one domain overlap each other N²/2 times: stop at `limit` problems.
    if (out.length >= limit) break;
    // Per owned domain (in file order): the hosts in it, then the domains overlapping it.
    const hits = new Map<number, { hosts: Set<number>; domains: Set<number> }>();
    const hit = (at: number) => hits.get(at) ?? hits.set(at, { hosts: new Set(), domains: new Set() }).get(at)!;
    t.hosts.forEach((host, i) => {
      for (const at of matches(host, host.startsWith('*.'))) if (owned[at].tenant !== t.tenant) hit(at).hosts.add(i);
    });
    t.domains.forEach((domain, i) => {
      for (const at of matches(domain, true)) if (owned[at].tenant !== t.tenant && index > owned[at].index) hit(at).domains.add(i);
    });
    for (const at of [...hits.keys()].sort((a, b) => a - b)) {
      const o = owned[at];
      const { hosts, domains } = hits.get(at)!;
      for (const i of [...hosts].sort((a, b) => a - b)) {
        const host = t.hosts[i];
        out.push({
          tenant: t.tenant,
          field: `hosts.${i}`,
          value: host,
          message: `"${host}" ${host.startsWith('*.') && !underDomain(host, o.domain) ? 'covers' : 'is in'} the domain "${o.domain}" that tenant "${o.tenant}" owns; this tenant would receive (and get certificates for) that customer's names`,
          allowed: 'hosts outside every other tenant\'s domains',
          // Neutral: file order is no proof of ownership (a pull request can reorder the list);
          // the reviewer checks who registered the domain.
          fix: `check who registered ${o.domain}: if "${o.tenant}"'s customer did, remove "${host}" from this tenant; if this tenant's customer did, remove "${o.domain}" from "${o.tenant}"'s domains`,
        });
      }
      for (const i of [...domains].sort((a, b) => a - b)) {
        const domain = t.domains[i];
        out.push({
          tenant: t.tenant,
          field: `domains.${i}`,
          value: domain,
          message: `"${domain}" overlaps the domain "${o.domain}" that tenant "${o.tenant}" already owns`,
          allowed: 'domains that no other tenant owns, nor any name above or below them',
          fix: `remove "${domain}" from this tenant or "${o.domain}" from "${o.tenant}"`,
        });
      }
    }
  }
  return out.slice(0, limit);
}

/**
 * Hosts and domains of tenants that take the platform's tenant domain (`tls.tenantDomain`, whose
 * `<label>.<tenantDomain>` names every tenant gets): owning it or a domain above it would make
 * every other tenant's platform name "another tenant's domain"; a wildcard over it (`*.` of it or
 * of a domain above it) receives every name no tenant has claimed yet, future tenants' included;
 * the tenant domain itself is the platform's name, not a tenant's. The file alone does not know
 * the tenant domain: synth passes its own (the stack's with --stack) and `pulumi up` the
 * stack's, as `ValidationOptions.tenantDomain`. Pure; linear in hosts and domains.
 */
export function platformDomainProblems(tenants: readonly TenantDomains[], tenantDomain: string): Problem[] {
  const platform = tenantDomain.toLowerCase();
  const out: Problem[] = [];
  for (const t of tenants) {
    t.domains.forEach((domain, i) => {
      if (!underDomain(platform, domain)) return;
      out.push({
        tenant: t.tenant,
        field: `domains.${i}`,
        value: domain,
        message: `"${domain}" ${domain.toLowerCase() === platform ? 'is' : 'contains'} the platform's tenant domain ${platform}, under which every tenant gets its <name>.${platform} host: no tenant can own it`,
        allowed: `a domain the customer registered, outside ${platform} (a name under it, e.g. "${t.tenant}.${platform}", is the platform's to give)`,
        fix: `remove "${domain}" from domains`,
      });
    });
    t.hosts.forEach((host, i) => {
      const wildcard = host.startsWith('*.');
      if (!(wildcard ? underDomain(platform, host.slice(2)) : host.toLowerCase() === platform)) return;
      out.push({
        tenant: t.tenant,
        field: `hosts.${i}`,
        value: host,
        message: wildcard
          ? `"${host}" covers every name under the platform's tenant domain ${platform}: the tenant would receive the requests for every name no tenant has claimed yet, future tenants' included`
          : `"${host}" is the platform's tenant domain itself, not a tenant's name`,
        allowed: `exact names under ${platform} (e.g. "${t.tenant}.${platform}"), or hosts in the customer's own domain`,
        fix: `write the tenant's own name, e.g. "${t.tenant}.${platform}"`,
      });
    });
  }
  return out;
}
