import * as digitalocean from '@pulumi/digitalocean';
import * as pulumi from '@pulumi/pulumi';

/** A taint on every node of a pool. */
export interface NodePoolTaint {
  readonly key: string;
  /** @default '' */
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** One autoscaled node pool. */
export interface NodePoolSpec {
  readonly name: string;
  /** Droplet size slug, e.g. `s-2vcpu-4gb`. */
  readonly size: string;
  /** Fewest nodes; DOKS keeps at least one in every pool. */
  readonly min: number;
  /** Most nodes the cluster autoscaler may add. */
  readonly max: number;
  /** @default {} */
  readonly labels?: Record<string, string>;
  /** @default [] */
  readonly taints?: readonly NodePoolTaint[];
}

/** Cluster-autoscaler tuning, applied to every pool. */
export interface ClusterAutoscalerSettings {
  /**
   * Requested ÷ allocatable below which a node may be removed.
   * @default 0.5
   */
  readonly scaleDownUtilizationThreshold?: number;
  /**
   * How long a node must stay unneeded before it is removed.
   * @default '10m'
   */
  readonly scaleDownUnneededTime?: string;
  /**
   * Expander strategies (random, priority, least-waste), in order.
   * @default the autoscaler's default
   */
  readonly expanders?: readonly string[];
}

export interface DoksClusterArgs {
  /** Cluster name (also the prefix of the node names). */
  readonly name: string;
  /** DigitalOcean region slug, e.g. `fra1`. */
  readonly region: string;
  /**
   * Minor-version prefix resolved with getKubernetesVersions to the newest patch, e.g. `1.35.`.
   * @default '1.35.'
   */
  readonly versionPrefix?: string;
  /** The default pool first, then extra pools (memory-heavy or GPU tenants). At least one. */
  readonly nodePools: readonly NodePoolSpec[];
  /**
   * Highly available control plane. Billed monthly and cannot be turned off once on, and the
   * provider defaults it to true from Kubernetes 1.36, so it is always sent explicitly.
   * @default false
   */
  readonly ha?: boolean;
  /**
   * Apply new patch releases in the maintenance window.
   * @default true
   */
  readonly autoUpgrade?: boolean;
  /**
   * Add a fresh node before draining an old one during upgrades (free).
   * @default true
   */
  readonly surgeUpgrade?: boolean;
  /**
   * Weekly maintenance window, UTC.
   * @default { day: 'sunday', startTime: '04:00' }
   */
  readonly maintenanceWindow?: { readonly day: string; readonly startTime: string };
  /**
   * Cluster-autoscaler tuning for every pool.
   * @default { scaleDownUtilizationThreshold: 0.5, scaleDownUnneededTime: '10m' }
   */
  readonly autoscaler?: ClusterAutoscalerSettings;
  /**
   * Protect the cluster from `pulumi destroy` and from replacement; unset it to tear down.
   * @default true
   */
  readonly protect?: boolean;
  /**
   * DigitalOcean tags on the cluster and its pools.
   * @default ['tenantscale']
   */
  readonly tags?: readonly string[];
  /**
   * The pod network (KubernetesCluster `clusterSubnet`); set at creation only.
   * @default DOKS chooses (10.244.0.0/16 on a default cluster)
   */
  readonly clusterSubnet?: string;
  /**
   * The Service network (KubernetesCluster `serviceSubnet`); set at creation only.
   * @default DOKS chooses (10.245.0.0/16 on a default cluster)
   */
  readonly serviceSubnet?: string;
}

/**
 * A DigitalOcean Kubernetes cluster whose every node pool autoscales between its min and max
 * (level 4 of the lesson: the cluster autoscaler adds a node when pods are pending and removes
 * it when utilization stays low). The kubeconfig is read from the API on every run, because the
 * token DOKS embeds expires after seven days.
 */
export class DoksCluster extends pulumi.ComponentResource {
  public readonly cluster: digitalocean.KubernetesCluster;
  public readonly extraPools: digitalocean.KubernetesNodePool[];
  public readonly clusterName: pulumi.Output<string>;
  public readonly clusterId: pulumi.Output<string>;
  /** The exact version the prefix resolved to. */
  public readonly version: pulumi.Output<string>;
  /** A kubeconfig fetched fresh on every `pulumi up`/`preview` (secret). */
  public readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: DoksClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('tenantscale:platform:DoksCluster', name, {}, opts);
    if (args.nodePools.length === 0) throw new Error('DoksCluster: nodePools needs at least the default pool');
    const versionPrefix = args.versionPrefix ?? '1.35.';
    const ha = args.ha ?? false;
    const autoUpgrade = args.autoUpgrade ?? true;
    const surgeUpgrade = args.surgeUpgrade ?? true;
    const maintenanceWindow = args.maintenanceWindow ?? { day: 'sunday', startTime: '04:00' };
    const autoscaler = args.autoscaler ?? {};
    const protect = args.protect ?? true;
    const tags = [...(args.tags ?? ['tenantscale'])];

    this.version = digitalocean.getKubernetesVersionsOutput({ versionPrefix }, { parent: this }).latestVersion;
    const [defaultPool, ...extra] = args.nodePools;
    const pool = (p: NodePoolSpec) => ({
      name: p.name,
      size: p.size,
      // No nodeCount: with autoScale the autoscaler owns it, and a fixed count would be reset on every update.
      autoScale: true,
      minNodes: p.min,
      maxNodes: p.max,
      labels: { ...(p.labels ?? {}) },
      taints: (p.taints ?? []).map((t) => ({ key: t.key, value: t.value ?? '', effect: t.effect })),
      tags,
    });

    this.cluster = new digitalocean.KubernetesCluster(
      name,
      {
        name: args.name,
        region: args.region,
        version: this.version,
        ha,
        autoUpgrade,
        surgeUpgrade,
        maintenancePolicy: { day: maintenanceWindow.day, startTime: maintenanceWindow.startTime },
        clusterAutoscalerConfigurations: [
          {
            scaleDownUtilizationThreshold: autoscaler.scaleDownUtilizationThreshold ?? 0.5,
            scaleDownUnneededTime: autoscaler.scaleDownUnneededTime ?? '10m',
            ...(autoscaler.expanders ? { expanders: [...autoscaler.expanders] } : {}),
          },
        ],
        nodePool: pool(defaultPool),
        tags,
        ...(args.clusterSubnet !== undefined ? { clusterSubnet: args.clusterSubnet } : {}),
        ...(args.serviceSubnet !== undefined ? { serviceSubnet: args.serviceSubnet } : {}),
      },
      {
        parent: this,
        protect,
        // With autoUpgrade, DigitalOcean applies new patches in the maintenance window; without
        // this, the next `pulumi up` after a patch release (any merged tenant change) would
        // upgrade the cluster at once, outside the window. A new minor needs a new prefix.
        ignoreChanges: autoUpgrade ? ['version'] : [],
      },
    );

    this.extraPools = extra.map(
      (p) => new digitalocean.KubernetesNodePool(`${name}-${p.name}`, { clusterId: this.cluster.id, ...pool(p) }, { parent: this }),
    );

    this.clusterName = this.cluster.name;
    this.clusterId = this.cluster.id;
    // Read through the data source, not the resource's stored kubeConfigs: the stored copy is the
    // one from creation and its token stops working after seven days.
    const live = digitalocean.getKubernetesClusterOutput({ name: this.cluster.name }, { parent: this });
    this.kubeconfig = pulumi.secret(live.kubeConfigs.apply((configs) => configs[0].rawConfig));
    this.registerOutputs({ clusterName: this.clusterName, clusterId: this.clusterId, version: this.version, kubeconfig: this.kubeconfig });
  }
}
