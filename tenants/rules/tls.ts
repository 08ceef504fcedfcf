/**
 * TLS rules: what cert-manager can issue for a tenant's hosts. Every host of a `tls: true`
 * tenant is either one label under the platform's tenant domain (the Gateway's wildcard
 * certificate, DNS-01) or gets the tenant's own certificate through the ACME HTTP-01 challenge.
 */
import type { Problem } from '../problem';
import { hostReason } from './hosts';

/**
 * Hosts a `tls: true` tenant cannot get a certificate for: wildcards. Let's Encrypt validates
 * wildcard names only through DNS-01 (its documentation; ACME clients such as win-acme and
 * smallstep say the same: an HTTP challenge must reach one concrete host), which needs write
 * access to the customer's DNS zone; the platform's DNS-01 solver holds a token for its own zone
 * only, and the platform wildcard `*.<tenant domain>` covers exactly one label. Pure.
 */
export function tlsHostProblems(tenant: string, hosts: readonly unknown[], tls: unknown): Problem[] {
  if (tls !== true) return [];
  const problems: Problem[] = [];
  hosts.forEach((host, i) => {
    // A host refused on its own (tenants/rules/hosts.ts) is reported once, there.
    if (typeof host !== 'string' || !host.startsWith('*.') || hostReason(host)) return;
    problems.push({
      tenant,
      field: `hosts.${i}`,
      value: host,
      message: `"${host}" is a wildcard and tls is on: a wildcard certificate needs the DNS-01 challenge in the customer's DNS zone, and the platform's HTTP-01 solver cannot issue one`,
      allowed: 'exact hostnames when tls: true (each gets a certificate through HTTP-01); wildcards only with tls: false',
      fix: `list the exact names under ${host.slice(2)} this tenant serves (at most 16 hosts), or set tls: false for this tenant`,
    });
  });
  return problems;
}
