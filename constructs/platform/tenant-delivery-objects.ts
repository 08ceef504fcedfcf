import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Manifest } from '../manifests';
import { HealthCheckRef, PlatformReadyGate } from './platform-ready-gate';
import { shardId } from './tenant-shards';
import { TenantArtifact, TenantArtifactSource } from './tenant-artifact-source';
import { TenantShardKustomization } from './tenant-shard-kustomization';

/** Directory of the shards in the artifact (`synth --shards`). */
export const SHARDS_DIR = 'shards';
/** Name of the source's pull Secret in Flux's namespace, when the stack creates one. */
export const PULL_SECRET_NAME = 'tenantscale-artifact-pull';
/** The gate's (empty) kustomization, next to the shards. */
export const READY_DIR = `${SHARDS_DIR}/ready`;

export interface TenantDeliveryObjectsProps {
  readonly artifact: TenantArtifact;
  /** Number of shard Kustomizations (1 to MAX_SHARDS). */
  readonly shards: number;
  /** What the gate waits for. */
  readonly healthChecks: readonly HealthCheckRef[];
  /**
   * Namespace of Flux (where the FluxInstance runs).
   * @default 'flux-system'
   */
  readonly namespace?: string;
  /**
   * Prefix of every object name.
   * @default 'tenantscale'
   */
  readonly prefix?: string;
  /**
   * Source poll interval.
   * @default '1m'
   */
  readonly interval?: string;
  /**
   * Pull Secret of the source, in `namespace`.
   * @default none
   */
  readonly secretName?: string;
}

/**
 * Everything Flux needs to deliver the tenants: the artifact source, the platform gate and one
 * Kustomization per shard (`<prefix>-shard-007`, path `./shards/007`). The object count depends
 * on the shard count only, never on the tenants.
 */
export class TenantDeliveryObjects extends Construct {
  constructor(scope: Construct, id: string, props: TenantDeliveryObjectsProps) {
    super(scope, id);
    const namespace = props.namespace ?? 'flux-system';
    const prefix = props.prefix ?? 'tenantscale';
    const source = new TenantArtifactSource(this, 'source', {
      name: `${prefix}-tenants`,
      namespace,
      artifact: props.artifact,
      interval: props.interval,
      secretName: props.secretName,
    });
    const gate = `${prefix}-platform-ready`;
    new PlatformReadyGate(this, 'ready', { name: gate, namespace, sourceRef: source.ref, path: `./${READY_DIR}`, healthChecks: props.healthChecks });
    for (let i = 0; i < props.shards; i++) {
      const id = shardId(i);
      new TenantShardKustomization(this, `shard-${id}`, {
        name: `${prefix}-shard-${id}`,
        namespace,
        sourceRef: source.ref,
        path: `./${SHARDS_DIR}/${id}`,
        dependsOn: [gate],
      });
    }
  }
}

/**
 * Synthesizes the Flux delivery objects, in apply order (source, gate, shards). The Pulumi
 * program applies exactly these, one resource each; `synth --stack` writes them to
 * flux/delivery.yaml for review and validation.
 */
export function tenantDeliveryManifests(props: TenantDeliveryObjectsProps): Manifest[] {
  const app = new App({ outdir: '.', recordConstructMetadata: false });
  const chart = new Chart(app, 'flux', { disableResourceNameHashes: true });
  new TenantDeliveryObjects(chart, 'delivery', props);
  return chart.toJson() as Manifest[];
}
