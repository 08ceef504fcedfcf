/**
 * What the simulator reads of a stack: the parts of infra/config.ts `StackConfig` that decide the
 * node pools, the platform pods, the cluster autoscaler and the fixed costs. The simulator declares
 * what it needs instead of importing the stack schema (infra/ sits above simulate/, see
 * docs/architecture.md "Layers"); a parsed `StackConfig` is one of these, which tsc checks where
 * the CLI passes it (cli/commands/simulate.ts, cli/plan/cost.ts).
 */
import type { FixedItemsStack } from '../core/prices';

interface Enabled {
  readonly enabled: boolean;
}

/** A node pool as tenantscale:nodePools lists it. */
export interface SimulatedNodePool {
  readonly name: string;
  /** The Droplet size slug (a key of the profile's prices.nodeSizes). */
  readonly size: string;
  readonly min: number;
  readonly max: number;
  readonly taints: readonly { readonly effect: string }[];
}

export interface SimulatedStack extends FixedItemsStack {
  readonly components: FixedItemsStack['components'] & {
    readonly keda: Enabled;
    readonly kedaHttpAddon: Enabled & { readonly interceptorMinReplicas: number };
    readonly metricsServer: Enabled;
    readonly verticalPodAutoscaler: Enabled;
  };
  readonly gateway: FixedItemsStack['gateway'] & { readonly proxyReplicas: number };
  readonly monitoring: Enabled & { readonly grafana: boolean; readonly alertmanager: boolean };
  readonly nodePools: readonly SimulatedNodePool[];
  readonly clusterAutoscaler: {
    readonly scaleDownUtilizationThreshold: number;
    /** A Go duration of seconds, minutes or hours ("10m"). */
    readonly scaleDownUnneededTime: string;
    readonly expanders?: readonly string[];
  };
}
