/**
 * Pulumi's view: the resources a program registers. Kubernetes resources are turned back into plain
 * objects (type `kubernetes:apps/v1:Deployment` + inputs → `{apiVersion: apps/v1, kind: Deployment, …}`)
 * so the manifest rules run on them unchanged; DOKS clusters and node pools become node pools.
 */
import { slugCapacity } from '../core/node-sizes';
import type { KubeObject, RegisteredResource } from './types';

/** A DOKS node pool, from a cluster's default `nodePool` or a KubernetesNodePool. */
export interface NodePool {
  readonly resource: RegisteredResource;
  /** `nodePool` for a cluster's default pool, '' for a KubernetesNodePool. */
  readonly field: string;
  readonly name: string;
  readonly size?: string;
  readonly autoScale: boolean;
  readonly minNodes?: number;
  readonly maxNodes?: number;
  readonly nodeCount?: number;
  /** Effects of the pool's taints (`NoSchedule`, `PreferNoSchedule`, `NoExecute`). */
  readonly taintEffects: readonly string[];
}

export { DOKS_POOL_LABEL } from '../core/digitalocean';

export const HELM_TYPES = new Set(['kubernetes:helm.sh/v3:Release', 'kubernetes:helm.sh/v3:Chart', 'kubernetes:helm.sh/v4:Chart']);
export const DOKS_CLUSTER_TYPE = 'digitalocean:index/kubernetesCluster:KubernetesCluster';
export const DOKS_NODE_POOL_TYPE = 'digitalocean:index/kubernetesNodePool:KubernetesNodePool';

/** Kubernetes type tokens that are Pulumi components or helpers, not objects in the cluster. */
const NOT_OBJECTS = /^kubernetes:(helm\.sh|yaml|kustomize|yaml\/v2|kustomize\/v2)\b/;

/** The Kubernetes object a registered resource stands for, or undefined if it is not one. */
export function kubeObjectOf(resource: RegisteredResource): KubeObject | undefined {
  const m = /^kubernetes:([^:]+):([A-Za-z0-9]+)$/.exec(resource.type);
  if (!m || NOT_OBJECTS.test(resource.type)) return undefined;
  const [, typeVersion, typeKind] = m;
  const props = resource.props ?? {};
  const metadata = (props.metadata && typeof props.metadata === 'object' ? props.metadata : {}) as KubeObject['metadata'];
  return {
    ...props,
    apiVersion: typeof props.apiVersion === 'string' ? props.apiVersion : typeVersion.replace(/^core\//, ''),
    kind: typeof props.kind === 'string' ? props.kind : typeKind,
    // Auto-named resources have no metadata.name until the provider assigns one.
    metadata: { ...metadata, name: typeof metadata.name === 'string' ? metadata.name : resource.name },
  };
}

/** Every Kubernetes object among the registered resources, each with the resource it came from. */
export function kubeObjectsOf(resources: readonly RegisteredResource[]): { object: KubeObject; resource: RegisteredResource }[] {
  return resources.flatMap((resource) => {
    const object = kubeObjectOf(resource);
    return object ? [{ object, resource }] : [];
  });
}

export function nodePoolsOf(resources: readonly RegisteredResource[]): NodePool[] {
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const pool = (resource: RegisteredResource, field: string, p: Record<string, unknown>): NodePool => ({
    resource,
    field,
    name: typeof p.name === 'string' ? p.name : resource.name,
    size: typeof p.size === 'string' ? p.size : undefined,
    autoScale: p.autoScale === true,
    minNodes: num(p.minNodes),
    maxNodes: num(p.maxNodes),
    nodeCount: num(p.nodeCount),
    taintEffects: Array.isArray(p.taints) ? p.taints.map((t) => String((t as { effect?: unknown })?.effect ?? '')) : [],
  });
  return resources.flatMap((r) => {
    if (r.type === DOKS_CLUSTER_TYPE && r.props.nodePool && typeof r.props.nodePool === 'object') {
      return [pool(r, 'nodePool', r.props.nodePool as Record<string, unknown>)];
    }
    if (r.type === DOKS_NODE_POOL_TYPE) return [pool(r, '', r.props)];
    return [];
  });
}

/** vCPUs and memory (bytes) of a DigitalOcean Droplet size slug (`s-2vcpu-4gb`, `c-4`), or undefined: the raw Droplet, before reservations. */
export function dropletCapacity(size: string): { cpuMillis: bigint; memoryBytes: bigint } | undefined {
  return slugCapacity(size);
}
