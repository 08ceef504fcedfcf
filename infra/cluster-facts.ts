/** What a stack says about its cluster that tenant rules check against: node pools, their taints, the pod and Service ranges. */
import type { NodeTaint } from '../constructs/platform-settings';
import { nodeFit } from '../core/node-sizes';
import { ClusterRanges, DOKS_DEFAULT_CLUSTER_RANGES } from '../tenants/rules/egress';
import type { NodePoolFacts } from '../tenants/rules/placement';
import type { StackConfig } from './config';

/**
 * The stack's node pools as tenant validation checks them (pool exists, a node fits the
 * requests, a wake covers a node boot when the pool can be empty). Only DOKS stacks know their
 * pools; kubeconfig mode returns undefined (nothing to check against).
 */
export function nodePoolFacts(config: Pick<StackConfig, 'clusterMode' | 'nodePools'>): NodePoolFacts[] | undefined {
  if (config.clusterMode !== 'doks') return undefined;
  // Allocatable per node where core/node-sizes.ts knows the size, else the slug's raw figures.
  return config.nodePools.map((p) => ({ name: p.name, size: p.size, min: p.min, max: p.max, taints: p.taints, capacity: nodeFit(p.size) }));
}

/** Taints of each pool by name (PlatformSettings.nodePoolTaints), so a placed tenant tolerates its pool. */
export function nodePoolTaints(config: Pick<StackConfig, 'nodePools'>): Record<string, NodeTaint[]> {
  return Object.fromEntries(config.nodePools.map((p) => [p.name, p.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect }))]));
}

/**
 * The ranges tenant egress may not overlap: the stack's clusterSubnet/serviceSubnet, each
 * defaulting to DOKS's (DOKS_DEFAULT_CLUSTER_RANGES; a kubeconfig cluster should set both).
 */
export function clusterRanges(config: Pick<StackConfig, 'clusterSubnet' | 'serviceSubnet'>): ClusterRanges {
  if (config.clusterSubnet === undefined && config.serviceSubnet === undefined) return DOKS_DEFAULT_CLUSTER_RANGES;
  return { podSubnet: config.clusterSubnet ?? DOKS_DEFAULT_CLUSTER_RANGES.podSubnet, serviceSubnet: config.serviceSubnet ?? DOKS_DEFAULT_CLUSTER_RANGES.serviceSubnet, source: 'stack' };
}
