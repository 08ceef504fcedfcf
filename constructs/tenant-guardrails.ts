import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { TenantSpec } from '../tenants/schema';
import { cpuMillis, formatCpu, formatMemory, memoryBytes } from '../tenants/quantity';
import { PlatformSettings } from './platform-settings';
import { GPU_RESOURCE, tenantGpus } from '../tenants/rules/placement';
import { defaultEphemeralStorageBytes, podEphemeralStorageBytes } from '../tenants/rules/scratch';

import { BLOCKED_EGRESS_CIDRS, BROKER_PRIVATE_RANGES, BrokerEgress } from '../tenants/rules/egress';

export { BLOCKED_EGRESS_CIDRS };

export interface TenantGuardrailsProps {
  readonly spec: TenantSpec;
  readonly namespace: string;
  readonly settings: PlatformSettings;
  /** Labels every object carries. */
  readonly labels: Record<string, string>;
  /** Most pods that can exist at once (max replicas plus rollout surge). */
  readonly maxPods: number;
  /**
   * Who may connect to the app port besides Prometheus: the interceptor pods (0..N HTTP tenants),
   * the Gateway's namespace (a service routed straight from the Gateway), and other tenants by name.
   * @default { interceptor: true, gateway: false, tenants: [] }
   */
  readonly admit?: { readonly interceptor: boolean; readonly gateway: boolean; readonly tenants: readonly string[] };
  /**
   * Brokers the pods may reach inside the private ranges (queue triggers): one named by hostname
   * opens its port to every private range, one given by address only its /32.
   * @default []
   */
  readonly brokerEgress?: readonly BrokerEgress[];
  /**
   * Namespaces of shared services the tenant calls (kind service), reachable in spite of the
   * private-range block.
   * @default []
   */
  readonly egressNamespaces?: readonly string[];
  /**
   * Room beyond the tenant's own pods for pods others run in its namespace for it: cert-manager's
   * HTTP-01 solver pods, one per host of the tenant's own certificate while a challenge runs.
   * @default none
   */
  readonly headroom?: QuotaHeadroom;
  /**
   * Most Jobs the namespace may hold (`count/jobs.batch`): a job tenant's runs and their history.
   * @default none (the quota does not count Jobs)
   */
  readonly maxJobs?: number;
}

/** Pods, each with these requests and limits, the quota admits beside the tenant's own. */
export interface QuotaHeadroom {
  readonly pods: number;
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/**
 * The isolation guardrails of one tenant namespace: a ResourceQuota sized to max replicas × limits
 * (so a runaway tenant cannot starve the others), a LimitRange giving defaults to any extra
 * container, and a NetworkPolicy that admits only the interceptor pods (or, for a shared service,
 * its consumer tenants and the Gateway) and Prometheus, and lets the tenant reach DNS and the
 * internet, never another tenant (except shared services it uses and queue brokers on their ports),
 * plus the networks and ports of the tenant's `egress` allow-list (a managed database in the VPC).
 */
export class TenantGuardrails extends Construct {
  public readonly resourceQuota: kplus.k8s.KubeResourceQuota;
  public readonly limitRange: kplus.k8s.KubeLimitRange;
  public readonly networkPolicy: kplus.k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: TenantGuardrailsProps) {
    super(scope, id);
    const { spec, namespace, settings, labels, maxPods } = props;
    const admit = props.admit ?? { interceptor: true, gateway: false, tenants: [] };
    const brokers = props.brokerEgress ?? [];
    const egressNamespaces = props.egressNamespaces ?? [];
    const { requests, limits } = spec.resources;
    const pods = BigInt(maxPods);
    const extra = props.headroom;
    const extraPods = BigInt(extra?.pods ?? 0);
    const extraOf = (quantity: string | undefined, parse: (q: string) => bigint) => (quantity === undefined ? 0n : extraPods * parse(quantity));
    const volumes = spec.volumes ?? [];
    const gpus = tenantGpus(spec);
    const storage = podEphemeralStorageBytes(spec);
    const metadata = (name: string) => ({ name, namespace, labels });

    this.resourceQuota = new kplus.k8s.KubeResourceQuota(this, 'quota', {
      metadata: metadata(spec.name),
      spec: {
        hard: {
          pods: kplus.k8s.Quantity.fromString(String(pods + extraPods)),
          'requests.cpu': kplus.k8s.Quantity.fromString(formatCpu(pods * cpuMillis(requests.cpu) + extraOf(extra?.requests.cpu, cpuMillis))),
          'requests.memory': kplus.k8s.Quantity.fromString(formatMemory(pods * memoryBytes(requests.memory) + extraOf(extra?.requests.memory, memoryBytes))),
          'limits.cpu': kplus.k8s.Quantity.fromString(formatCpu(pods * cpuMillis(limits.cpu) + extraOf(extra?.limits.cpu, cpuMillis))),
          'limits.memory': kplus.k8s.Quantity.fromString(formatMemory(pods * memoryBytes(limits.memory) + extraOf(extra?.limits.memory, memoryBytes))),
          // A tenant cannot buy its own cloud load balancer or open node ports.
          'services.loadbalancers': kplus.k8s.Quantity.fromString('0'),
          'services.nodeports': kplus.k8s.Quantity.fromString('0'),
          // Disks are billed per GiB: exactly the declared volumes (none for most tenants), so a
          // claim created by hand is refused.
          persistentvolumeclaims: kplus.k8s.Quantity.fromString(String(volumes.length)),
          'requests.storage': kplus.k8s.Quantity.fromString(formatMemory(volumes.reduce((sum, v) => sum + memoryBytes(v.size), 0n))),
          // Disk-backed scratch: every pod's ephemeral storage (app container: /tmp + scratch + logs;
          // any other container: the LimitRange default), tenants/rules/scratch.ts.
          ...(storage !== undefined
            ? {
                'requests.ephemeral-storage': kplus.k8s.Quantity.fromString(formatMemory(pods * storage + extraPods * defaultEphemeralStorageBytes())),
                'limits.ephemeral-storage': kplus.k8s.Quantity.fromString(formatMemory(pods * storage + extraPods * defaultEphemeralStorageBytes())),
              }
            : {}),
          // Job tenants: their Jobs, running and kept (a Job made by hand beyond them is refused).
          ...(props.maxJobs !== undefined ? { 'count/jobs.batch': kplus.k8s.Quantity.fromString(String(props.maxJobs)) } : {}),
          // Extended resources are quota'd by their requests. prefix only (no limits. form).
          ...(gpus > 0 ? { [`requests.${GPU_RESOURCE}`]: kplus.k8s.Quantity.fromString(String(BigInt(gpus) * pods)) } : {}),
        },
      },
    });

    this.limitRange = new kplus.k8s.KubeLimitRange(this, 'limits', {
      metadata: metadata(spec.name),
      spec: {
        limits: [
          {
            type: 'Container',
            // With ephemeral-storage in the quota every container must state it: one that does not
            // (an HTTP-01 solver, a container added by hand) gets /tmp + logs.
            defaultRequest: {
              cpu: kplus.k8s.Quantity.fromString(requests.cpu),
              memory: kplus.k8s.Quantity.fromString(requests.memory),
              ...(storage !== undefined ? { 'ephemeral-storage': kplus.k8s.Quantity.fromString(formatMemory(defaultEphemeralStorageBytes())) } : {}),
            },
            default: {
              cpu: kplus.k8s.Quantity.fromString(limits.cpu),
              memory: kplus.k8s.Quantity.fromString(limits.memory),
              ...(storage !== undefined ? { 'ephemeral-storage': kplus.k8s.Quantity.fromString(formatMemory(defaultEphemeralStorageBytes())) } : {}),
            },
          },
        ],
      },
    });

    // A worker without a port takes no connections at all: no ingress rule (the policy denies every one).
    const appPort = spec.port === undefined ? undefined : [{ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(spec.port) }];
    const fallbackPort = spec.coldStart?.fallback?.port;
    const interceptorPorts = appPort && fallbackPort !== undefined && fallbackPort !== spec.port ? [...appPort, { protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(fallbackPort) }] : appPort;
    const namespaceNamed = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
    // Every pod of the namespace (empty podSelector), so a pod added by hand is denied by default too.
    this.networkPolicy = new kplus.k8s.KubeNetworkPolicy(this, 'isolation', {
      metadata: metadata(spec.name),
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: !appPort ? [] : [
          // The interceptor dials the tenant Service, so after kube-proxy's DNAT the connection
          // comes from an interceptor pod to the app port (and to a cold-start fallback's port).
          ...(admit.interceptor
            ? [{ from: [{ ...namespaceNamed(settings.interceptor.namespace), podSelector: { matchLabels: { ...settings.interceptorPodLabels } } }], ports: interceptorPorts }]
            : []),
          { from: [namespaceNamed(settings.monitoringNamespace)], ports: appPort },
          ...(admit.gateway ? [{ from: [namespaceNamed(settings.gateway.namespace)], ports: appPort }] : []),
          ...(admit.tenants.length > 0 ? [{ from: admit.tenants.map((t) => namespaceNamed(`tenant-${t}`)), ports: appPort }] : []),
        ],
        egress: [
          {
            to: [{ ...namespaceNamed(settings.dnsNamespace), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [
              { protocol: 'UDP', port: kplus.k8s.IntOrString.fromNumber(53) },
              { protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(53) },
            ],
          },
          { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: BLOCKED_EGRESS_CIDRS } }] },
          // The tenant's own allow-list (tenants/rules/egress.ts): one rule per entry, only its ports.
          ...(spec.egress ?? []).map((rule) => ({
            to: [{ ipBlock: { cidr: rule.cidr } }],
            ports: rule.ports.map((p) => ({ protocol: rule.protocol, port: kplus.k8s.IntOrString.fromNumber(p) })),
          })),
          ...(egressNamespaces.length > 0 ? [{ to: egressNamespaces.map((n) => namespaceNamed(n)) }] : []),
          // Brokers: by hostname, their ports to every private range (a NetworkPolicy matches
          // addresses, not names; validation warns, tenants/rules/egress.ts); by address, one rule per /32.
          ...brokerRules(brokers).map((r) => ({
            to: r.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
            ports: r.ports.map((p) => ({ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(p) })),
          })),
        ],
      },
    });
  }
}

/** Broker egress as NetworkPolicy rules: hostnames' ports to every private range in one rule, then one rule per broker address. Pure. */
export function brokerRules(brokers: readonly BrokerEgress[]): { cidrs: string[]; ports: number[] }[] {
  const named = [...new Set(brokers.filter((b) => b.cidr === undefined).map((b) => b.port))];
  const byCidr = new Map<string, number[]>();
  for (const b of brokers) if (b.cidr !== undefined) byCidr.set(b.cidr, [...new Set([...(byCidr.get(b.cidr) ?? []), b.port])]);
  return [...(named.length > 0 ? [{ cidrs: [...BROKER_PRIVATE_RANGES], ports: named }] : []), ...[...byCidr].map(([cidr, ports]) => ({ cidrs: [cidr], ports }))];
}
