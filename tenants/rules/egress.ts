/**
 * Egress allow-list rules. Each `egress` entry becomes one NetworkPolicy egress rule
 * (constructs/tenant-guardrails.ts) beside the default "internet but no private ranges" rule;
 * NetworkPolicy rules add up, so an entry can only open, never close. What an entry may open:
 *
 * - a network in canonical CIDR notation (the API server of Kubernetes 1.28 accepts
 *   `10.110.0.5/20` and silently means 10.110.0.0/20; written canonically the file says what is
 *   opened);
 * - never link-local addresses: 169.254.169.254 is the DigitalOcean Droplet metadata service
 *   (user data, the node's bootstrap configuration), and IPv6 fe80::/10 is link-local too;
 * - never a network holding a whole blocked private range (10.0.0.0/8, 0.0.0.0/0, …): that would
 *   reopen every pod, Service and node of the cluster on the listed ports, which the private-range
 *   block exists to close. Name the database's VPC range or its address instead.
 */
import { isIPv4 } from 'node:net';
import type { Problem } from '../problem';

/**
 * Private, link-local and shared address ranges a tenant may not reach (other tenants' pods,
 * cloud metadata); the NetworkPolicy's internet rule excepts them (constructs/tenant-guardrails.ts).
 */
export const BLOCKED_EGRESS_CIDRS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'];

/** A parsed network: family, first address as a number, prefix length. */
export interface Network {
  readonly family: 4 | 6;
  readonly address: bigint;
  readonly prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

/** IPv4 dotted quad (no leading zeros: `010` is octal to some readers, decimal to others). */
function ipv4(text: string): bigint | undefined {
  if (!isIPv4(text)) return undefined;
  return text.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
}

/** IPv6 in any RFC 4291 text form without a zone (`%eth0`), embedded IPv4 tail allowed. */
function ipv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2) return undefined;
  let body = text;
  const tail = /(?:^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const v4 = ipv4(tail[1]);
    if (v4 === undefined) return undefined;
    body = `${text.slice(0, text.length - tail[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  } else if (text.includes('.')) return undefined;
  const [head, rest] = body.split('::');
  const split = (s: string) => (s === '' ? [] : s.split(':'));
  let groups: string[];
  if (rest === undefined) groups = split(head);
  else {
    const left = split(head);
    const right = split(rest);
    if (left.length + right.length > 7) return undefined;
    groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  }
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** The network `text` (address/prefix) names, or why it is not one. Pure. */
export function parseCidr(text: string): Network | { reason: string } {
  const slash = text.indexOf('/');
  if (slash < 0) return { reason: 'it has no prefix length (write /32 for one IPv4 address, /128 for one IPv6 address)' };
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const family = addressText.includes(':') ? 6 : 4;
  const address = family === 4 ? ipv4(addressText) : ipv6(addressText);
  if (address === undefined) return { reason: family === 4 ? 'the address is not four decimal numbers 0-255 without leading zeros' : 'the address is not an IPv6 address (no zone such as %eth0)' };
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > BITS[family]) {
    return { reason: `the prefix length must be a number from 0 to ${BITS[family]}` };
  }
  return { family, address, prefix: Number(prefixText) };
}

function mask(n: Network): bigint {
  const bits = BigInt(BITS[n.family]);
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(n.prefix))) - 1n);
}

/** The canonical text of a network: host bits cleared, IPv6 in lowercase with `::`. Pure. */
export function formatNetwork(n: Network): string {
  const a = n.address & mask(n);
  if (n.family === 4) return `${[24n, 16n, 8n, 0n].map((s) => String((a >> s) & 0xffn)).join('.')}/${n.prefix}`;
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) => ((a >> s) & 0xffffn).toString(16));
  // The longest run of two or more zero groups becomes "::" (RFC 5952 section 4.2).
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  const text = best.at < 0 ? groups.join(':') : `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
  return `${text}/${n.prefix}`;
}

/** Whether `outer` contains every address of `inner`. Pure. */
export function containsNetwork(outer: Network, inner: Network): boolean {
  return outer.family === inner.family && outer.prefix <= inner.prefix && (inner.address & mask(outer)) === (outer.address & mask(outer));
}

/** Whether the two networks share an address. Pure. */
export function overlaps(a: Network, b: Network): boolean {
  return containsNetwork(a, b) || containsNetwork(b, a);
}

const net = (text: string): Network => parseCidr(text) as Network;
/** Link-local networks: IPv4 169.254.0.0/16 (cloud metadata at 169.254.169.254) and IPv6 fe80::/10. */
const LINK_LOCAL = ['169.254.0.0/16', 'fe80::/10'].map(net);
/** IPv4-mapped IPv6 addresses (::ffff:0:0/96) reach IPv4 hosts under another name. */
const IPV4_MAPPED = net('::ffff:0:0/96');
/** The private ranges a tenant's pods are kept from, and IPv6 unique-local fc00::/7. */
const PRIVATE_RANGES = [...BLOCKED_EGRESS_CIDRS.filter((c) => !c.startsWith('169.254.')), 'fc00::/7'].map((c) => ({ text: c, network: net(c) }));

/**
 * The cluster's own address ranges: the pod overlay network and the Service (ClusterIP) range.
 * Platform pods (the interceptor, Prometheus, the KEDA operator) live there, so no tenant entry
 * may overlap them, whatever its ports. From the stack (`tenantscale:clusterSubnet` and
 * `tenantscale:serviceSubnet`, the DigitalOcean KubernetesCluster's clusterSubnet and
 * serviceSubnet args, @pulumi/digitalocean 4.80.1 kubernetesCluster.d.ts), else DOKS's defaults.
 */
export interface ClusterRanges {
  readonly podSubnet: string;
  readonly serviceSubnet: string;
  /** Where the ranges come from, for the message: the stack, or the DOKS defaults (offline, or unset in the stack). */
  readonly source: 'stack' | 'doks-default';
}

/**
 * The ranges DOKS gives a cluster created without clusterSubnet/serviceSubnet: pods 10.244.0.0/16,
 * Services 10.245.0.0/16. NOT verified against DigitalOcean's published documentation (the
 * search tool found no page stating them; the provider's docs describe the fields without a
 * default): the values the project was given. Offline validation uses them and says so; a stack
 * that sets the ranges is checked against its own.
 */
export const DOKS_DEFAULT_CLUSTER_RANGES: ClusterRanges = { podSubnet: '10.244.0.0/16', serviceSubnet: '10.245.0.0/16', source: 'doks-default' };

/**
 * Widest private network one entry may open: a /16 (65,536 addresses). A managed database or
 * broker is one address or one VPC range; an entry such as 10.0.0.0/9 would reach the nodes
 * (kubelet, node ports) and every VPC of the account on those ports. A project rule, not a
 * DigitalOcean limit.
 */
export const WIDEST_PRIVATE_PREFIX = 16;

/** Problems of the tenant's `egress` list (entries whose shape is wrong are the schema's). Pure. */
export function egressProblems(tenant: string, entries: readonly unknown[], ranges: ClusterRanges = DOKS_DEFAULT_CLUSTER_RANGES): Problem[] {
  const clusterNets = [
    { what: 'pod network', text: ranges.podSubnet, network: parseCidr(ranges.podSubnet) },
    { what: 'Service network', text: ranges.serviceSubnet, network: parseCidr(ranges.serviceSubnet) },
  ].flatMap((r) => ('reason' in r.network ? [] : [{ ...r, network: r.network }]));
  const from = ranges.source === 'stack' ? "the stack's tenantscale:clusterSubnet/serviceSubnet" : 'the DOKS defaults; set tenantscale:clusterSubnet and tenantscale:serviceSubnet if the cluster uses others';
  const problems: Problem[] = [];
  entries.forEach((entry, i) => {
    const cidr = (entry as { cidr?: unknown } | null)?.cidr;
    if (typeof cidr !== 'string') return;
    const field = `egress.${i}.cidr`;
    const add = (message: string, allowed: string, fix: string) => problems.push({ tenant, field, value: cidr, message, allowed, fix });
    const parsed = parseCidr(cidr);
    if ('reason' in parsed) {
      add(`not a CIDR network: ${parsed.reason}`, 'an IPv4 or IPv6 network in CIDR notation, e.g. "10.110.0.0/20" or "2001:db8::/48"', 'write the network address and prefix length, e.g. "10.110.0.0/20"');
      return;
    }
    const canonical = formatNetwork(parsed);
    if (containsNetwork(IPV4_MAPPED, parsed)) {
      add('an IPv4-mapped IPv6 network names IPv4 addresses under an IPv6 form', 'an IPv4 network written as IPv4', 'write the IPv4 network, e.g. "10.110.0.0/20"');
      return;
    }
    if (canonical !== cidr) {
      const hostBits = (parsed.address & ~mask(parsed)) !== 0n;
      add(
        hostBits ? `the address has host bits set below the /${parsed.prefix} prefix; Kubernetes would open the whole ${canonical}` : `not in canonical form (the same network is written ${canonical})`,
        'the network address of the range, in canonical form (IPv6 in lowercase, zeros compressed)',
        `write "${canonical}"${hostBits && parsed.prefix !== BITS[parsed.family] ? ` (or "${formatNetwork({ ...parsed, prefix: BITS[parsed.family] })}" for that one address)` : ''}`,
      );
      return;
    }
    const linkLocal = LINK_LOCAL.find((l) => overlaps(l, parsed));
    if (linkLocal) {
      const metadata = parsed.family === 4 && containsNetwork(parsed, net('169.254.169.254/32'));
      add(
        `it reaches link-local addresses (${formatNetwork(linkLocal)})${metadata ? ', including the cloud metadata service at 169.254.169.254 (node bootstrap data and user data)' : ''}; they stay blocked for every tenant`,
        'a network outside 169.254.0.0/16 and fe80::/10',
        'remove this entry; a tenant never needs the node\'s metadata service',
      );
      return;
    }
    const whole = PRIVATE_RANGES.find((r) => containsNetwork(parsed, r.network));
    if (whole) {
      add(
        `it contains the whole private range ${whole.text}, which holds every pod, Service and node of the cluster; the tenant could reach all of them on these ports`,
        `a network narrower than ${whole.text}: the database's VPC range (e.g. "10.110.0.0/20") or its address ("10.110.0.5/32")`,
        'name the managed database\'s VPC range or private address instead',
      );
      return;
    }
    const cluster = clusterNets.find((c) => overlaps(c.network, parsed));
    if (cluster) {
      add(
        `it overlaps the cluster's ${cluster.what} ${cluster.text} (${from}): platform pods such as the KEDA interceptor and Prometheus, and every other tenant's pods, would be reachable on these ports`,
        `a network outside ${clusterNets.map((c) => c.text).join(' and ')}: the managed database's VPC range or address`,
        'name the database\'s VPC range (e.g. "10.110.0.0/20") or address ("10.110.0.5/32"); a shared service in the cluster is reached with `uses`, not an egress entry',
      );
      return;
    }
    const privateRange = PRIVATE_RANGES.find((r) => overlaps(r.network, parsed));
    if (privateRange && parsed.family === 4 && parsed.prefix < WIDEST_PRIVATE_PREFIX) {
      add(
        `a /${parsed.prefix} private network (${Number(1n << BigInt(32 - parsed.prefix)).toLocaleString('en-US')} addresses) reaches the cluster's nodes and every VPC of the account on these ports`,
        `a private network of /${WIDEST_PRIVATE_PREFIX} or narrower: the database's VPC range or address`,
        'name the managed database\'s VPC range (e.g. "10.110.0.0/20") or its address ("10.110.0.5/32")',
      );
    }
  });
  return problems;
}

/** One broker a queue trigger's pods must reach: its TCP port, and its /32 when the address is an IPv4 literal. */
export interface BrokerEgress {
  readonly port: number;
  /** The broker's own address as a /32; absent for a hostname (a NetworkPolicy matches addresses, not names). */
  readonly cidr?: string;
}

/** The brokers of a `host:port[,host:port…]` list (Kafka bootstrapServers, a Redis address). Pure. */
export function brokerEgress(addresses: string): BrokerEgress[] {
  const seen = new Set<string>();
  return addresses.split(',').flatMap((a) => {
    const at = a.lastIndexOf(':');
    const host = a.slice(0, at);
    const port = Number(a.slice(at + 1));
    if (!(port > 0 && port < 65536)) return [];
    const entry: BrokerEgress = isIPv4(host) ? { port, cidr: `${host}/32` } : { port };
    const key = `${entry.cidr ?? '*'}:${port}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [entry];
  });
}

/** The private ranges a broker given by hostname is opened to (every blocked range but link-local). */
export const BROKER_PRIVATE_RANGES = BLOCKED_EGRESS_CIDRS.filter((c) => c !== '169.254.0.0/16');

/**
 * Warnings for brokers named by hostname: the tenant's NetworkPolicy cannot match a name, so it
 * opens the broker's port to every private range (BROKER_PRIVATE_RANGES: the cluster's pods,
 * Services and nodes included). Written as an IPv4 address, only that /32 is opened
 * (constructs/tenant-guardrails.ts). Pure.
 */
export function brokerHostnameWarnings(tenant: string, triggers: readonly { readonly type: string; readonly bootstrapServers?: string; readonly address?: string }[]): string[] {
  return triggers.flatMap((t, i) => {
    const list = t.type === 'kafka' ? t.bootstrapServers : t.type === 'redis-list' || t.type === 'redis-stream' ? t.address : undefined;
    const named = t.type === 'rabbitmq' ? [{ port: 5672 }] : list === undefined ? [] : brokerEgress(list).filter((b) => b.cidr === undefined);
    if (named.length === 0) return [];
    const ports = [...new Set(named.map((b) => b.port))].join(', ');
    const what = t.type === 'rabbitmq' ? 'the RabbitMQ host comes from a Secret' : `${list} names its broker${named.length === 1 ? '' : 's'} by hostname`;
    return [
      `tenant "${tenant}" triggers[${i}] (${t.type}): ${what}, and a NetworkPolicy matches addresses, not names, so TCP ${ports} is open to every private range (${BROKER_PRIVATE_RANGES.join(', ')}), the cluster's pods and Services included; ${t.type === 'rabbitmq' ? 'nothing narrower can be written for it' : 'for a broker outside the cluster (e.g. managed Kafka in the VPC), prefer its IPv4 address (e.g. 10.110.0.7:9092): only that /32 is opened'}`,
    ];
  });
}
