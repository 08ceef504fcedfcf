import { RecordingRule } from './wake-latency';

/** A DOKS node pool and the most nodes its autoscaler may add. */
export interface NodePoolLimit {
  readonly name: string;
  readonly max: number;
}

/** Recorded series name of a pool's max. */
export const NODE_POOL_MAX = 'tenantscale:node_pool_max_nodes';

/**
 * One constant series per node pool, `tenantscale:node_pool_max_nodes{node_pool}`: the cluster
 * does not know the pool max (it lives in the DigitalOcean API), the Pulumi config does.
 */
export function nodePoolRules(pools: readonly NodePoolLimit[]): RecordingRule[] {
  return pools.map((p) => ({ record: NODE_POOL_MAX, expr: `vector(${p.max})`, labels: { node_pool: p.name } }));
}
