/**
 * What a wake takes on DOKS when nothing says otherwise: the simulator's default profile
 * (simulate/profile.ts) and validation's estimate of a wake on an empty pool
 * (tenants/rules/placement.ts) use the same figures.
 */

export interface WakeSettings {
  /** Seconds from the cluster autoscaler's request to a Ready DOKS node. */
  readonly nodeProvisioningSeconds: number;
  readonly imagePullMBps: number;
  readonly containerStartSeconds: number;
  /** Seconds from the first held request to KEDA setting replicas to 1. */
  readonly kedaActivationSeconds: number;
  readonly defaultImageSizeMB: number;
  readonly imageSizeMB: Readonly<Record<string, number>>;
}

export interface ClusterSettings {
  /** The cluster autoscaler's --scan-interval. */
  readonly scanIntervalSeconds: number;
  /** --scale-down-delay-after-add. */
  readonly scaleDownDelayAfterAddSeconds: number;
  /** Requests of DOKS's own DaemonSets (Cilium, CSI, node agent) on every node. */
  readonly daemonSetCpuMilliPerNode: number;
  readonly daemonSetMemoryMiBPerNode: number;
}

export const DEFAULT_WAKE: WakeSettings = {
  // DigitalOcean publishes no node provisioning time; the lesson says ~30 s for the node
  // (seed 000, "A Day in the Life"); Droplet boot plus kubelet registration is commonly 45-90 s.
  nodeProvisioningSeconds: 60,
  imagePullMBps: 50,
  containerStartSeconds: 2,
  kedaActivationSeconds: 1,
  defaultImageSizeMB: 50,
  imageSizeMB: {},
};

export const DEFAULT_CLUSTER: ClusterSettings = {
  // kubernetes/autoscaler cluster-autoscaler FAQ: --scan-interval 10s, --scale-down-delay-after-add 10m.
  scanIntervalSeconds: 10,
  scaleDownDelayAfterAddSeconds: 600,
  // DOKS's managed DaemonSets (cilium, csi-do-node, do-node-agent, konnectivity-agent): uncertain
  // figures, check `kubectl describe node` ("Non-terminated Pods") on a real cluster.
  daemonSetCpuMilliPerNode: 200,
  daemonSetMemoryMiBPerNode: 256,
};
