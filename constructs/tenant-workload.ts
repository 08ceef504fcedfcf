import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { ApiObject, Names } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LABELS } from './platform-settings';
import { APP_CONTAINER, TenantContext } from './tenant-context';
import { DOKS_POOL_LABEL, GPU_RESOURCE, tenantGpus, tenantRollout } from '../tenants/rules/placement';
import { TMP_VOLUME } from '../tenants/rules/volumes';
import { podEphemeralStorageBytes } from '../tenants/rules/scratch';
import { formatMemory } from '../tenants/quantity';
import { claimName } from './tenant-volumes';

/** Pod-template label cdk8s-plus wrote on every tenant Deployment (cdk8s-team/cdk8s#326). */
export const POD_ADDRESS_LABEL = 'cdk8s.io/metadata.addr';

export interface TenantWorkloadProps {
  /** The tenant (spec, settings, names, labels). */
  readonly ctx: TenantContext;
  /**
   * Replace pods all at once instead of rolling: a tenant with in-memory state or one paired
   * session must never run two copies.
   * @default false (RollingUpdate, 25% surge)
   */
  readonly recreate?: boolean;
}

/**
 * The tenant's pods and their in-cluster address: a Deployment without `spec.replicas` (the
 * autoscaler owns it) running the tenant's image under Pod Security `restricted`, and a ClusterIP
 * Service on the app port. Both are plain API objects with their final spec: no cdk8s-plus
 * builder, no patches after construction (synth builds this for every tenant).
 */
export class TenantWorkload extends Construct {
  public readonly deployment: ApiObject;
  /** Absent for a worker without a port (nothing connects to it). */
  public readonly service?: kplus.k8s.KubeService;

  constructor(scope: Construct, id: string, props: TenantWorkloadProps) {
    super(scope, id);
    const { ctx } = props;
    const recreate = props.recreate ?? false;
    const { spec, name } = ctx;
    this.deployment = new ApiObject(this, 'deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        ...ctx.meta(name),
        annotations: { [LABELS.coldStartBudget]: String(spec.coldStartBudget) },
      },
      // No `replicas`: KEDA (or the HPA) owns the count; writing one would fight it on every apply.
      spec: {
        minReadySeconds: 0,
        progressDeadlineSeconds: 600,
        selector: { matchLabels: ctx.selectorLabels },
        // Recreate (stateful), maxSurge 0 for GPU tenants, else 25 %/25 % (tenants/rules/placement.ts tenantRollout).
        strategy: recreate ? { type: 'Recreate' } : tenantRollout(spec),
        template: {
          metadata: {
            // The label cdk8s-plus used to add, kept at its old value: changing the pod template
            // would roll every running tenant (and restart stateful ones) for nothing.
            labels: { ...ctx.labels, [POD_ADDRESS_LABEL]: legacyPodAddress(scope, 'deployment') },
          },
          spec: podSpec(ctx),
        },
      },
    });
    if (spec.port !== undefined) {
      this.service = new kplus.k8s.KubeService(this, 'service', {
        metadata: ctx.meta(name),
        spec: {
          type: 'ClusterIP',
          selector: ctx.selectorLabels,
          ports: [{ name: 'http', port: spec.port, targetPort: kplus.k8s.IntOrString.fromNumber(spec.port) }],
        },
      });
    }
  }
}

/**
 * The pod of a tenant: one `app` container (the tenant's image, and its `command`/`args` when set),
 * non-root, read-only root filesystem, a /tmp emptyDir, the tenant's volumes (claims of
 * TenantVolumes) as its only other writable paths, the tenant's registry pull Secret by name, and,
 * on a named node pool, the DOKS pool label as nodeSelector with tolerations for that pool's taints.
 */
export function podSpec(ctx: TenantContext, restartPolicy: 'Always' | 'Never' = 'Always'): Record<string, unknown> {
  const { spec } = ctx;
  const port = spec.port;
  const gpus = tenantGpus(spec);
  // Extended resources: request = limit, always written together (validation refuses anything else).
  const gpu = gpus > 0 ? { [GPU_RESOURCE]: String(gpus) } : {};
  const volumes = spec.volumes ?? [];
  const taints = spec.nodePool === undefined ? [] : ctx.settings.nodePoolTaints?.[spec.nodePool] ?? [];
  const user = spec.runAsUser;
  const env = Object.entries(spec.env).map(([key, value]) =>
    typeof value === 'object'
      ? { name: key, valueFrom: { secretKeyRef: { key: value.key, name: value.secret } } }
      : { name: key, value: String(value) },
  );
  const probes = spec.probes ?? {};
  const storage = podEphemeralStorageBytes(spec);
  // Disk scratch: the container states the ephemeral storage its emptyDirs and logs may use (tenants/rules/scratch.ts).
  const ephemeral = storage === undefined ? {} : { 'ephemeral-storage': formatMemory(storage) };
  const scratch = spec.scratch ?? [];
  // Empty lists mean "the image's own" to Kubernetes, exactly like leaving them out.
  const command = spec.command ?? [];
  const args = spec.args ?? [];
  return {
    automountServiceAccountToken: false,
    containers: [
      {
        ...(args.length > 0 ? { args: [...args] } : {}),
        ...(command.length > 0 ? { command: [...command] } : {}),
        ...(env.length > 0 ? { env } : {}),
        image: spec.image,
        // Pinned images never change under a tag, so a node's cached copy is reused: image pull
        // is the largest part of a cold start.
        imagePullPolicy: 'IfNotPresent',
        ...(probes.liveness !== undefined ? { livenessProbe: { failureThreshold: 3, ...probeAction(probes.liveness, port), periodSeconds: 10 } } : {}),
        name: APP_CONTAINER,
        ...(port !== undefined ? { ports: [{ containerPort: port, name: 'http' }] } : {}),
        // Ready as soon as the app answers: the interceptor releases held requests on readiness.
        ...(probes.readiness !== undefined
          ? { readinessProbe: { failureThreshold: 3, ...probeAction(probes.readiness, port), initialDelaySeconds: 0, periodSeconds: 1 } }
          : {}),
        // Exactly as written in the tenant list (validated quantities).
        resources: {
          limits: { cpu: spec.resources.limits.cpu, memory: spec.resources.limits.memory, ...gpu, ...ephemeral },
          requests: { cpu: spec.resources.requests.cpu, memory: spec.resources.requests.memory, ...gpu, ...ephemeral },
        },
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          privileged: false,
          readOnlyRootFilesystem: true,
          runAsGroup: user,
          runAsNonRoot: true,
          runAsUser: user,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        // Checked every second for up to the cold-start budget: a slow start is not killed, and
        // readiness is not delayed by a coarse startup period.
        // A worker without a port has no startup probe (nothing to dial); its liveness starts at once.
        ...(port !== undefined ? { startupProbe: { failureThreshold: spec.coldStartBudget, periodSeconds: 1, tcpSocket: { port } } } : {}),
        volumeMounts: [
          { mountPath: TMP_VOLUME.mountPath, name: TMP_VOLUME.name },
          ...volumes.map((v) => ({ mountPath: v.mountPath, name: v.name })),
          ...scratch.map((s) => ({ mountPath: s.mountPath, name: s.name })),
        ],
      },
    ],
    dnsPolicy: 'ClusterFirst',
    hostNetwork: false,
    ...(spec.nodePool !== undefined ? { nodeSelector: { [DOKS_POOL_LABEL]: spec.nodePool } } : {}),
    // Only the reference: the Secret itself is created by the Pulumi program from stack config
    // (constructs/platform/registry-pull-secrets.ts), never synthesized into dist/.
    ...(spec.imagePullSecret !== undefined ? { imagePullSecrets: [{ name: spec.imagePullSecret }] } : {}),
    // Always for a Deployment; Never for a Job's pod: a failed run is retried in a new pod up to backoffLimit.
    restartPolicy,
    securityContext: { fsGroup: user, fsGroupChangePolicy: 'Always', runAsGroup: user, runAsNonRoot: true, runAsUser: user },
    setHostnameAsFQDN: false,
    terminationGracePeriodSeconds: 30,
    ...(taints.length > 0
      ? { tolerations: taints.map((t) => ({ effect: t.effect, key: t.key, operator: 'Equal', value: t.value ?? '' })) }
      : {}),
    volumes: [
      { emptyDir: { sizeLimit: TMP_VOLUME.sizeLimit }, name: TMP_VOLUME.name },
      ...volumes.map((v) => ({ name: v.name, persistentVolumeClaim: { claimName: claimName(ctx.name, v.name) } })),
      // medium Memory: a tmpfs charged to the container's memory limit; no medium: the node's disk.
      ...scratch.map((s) => ({ emptyDir: { ...(s.medium === 'memory' ? { medium: 'Memory' } : {}), sizeLimit: s.size }, name: s.name })),
    ],
  };
}

type Probe = NonNullable<NonNullable<TenantContext['spec']['probes']>['readiness']>;

/** A probe's handler: httpGet on the app port for a path, or exec for a command (validation pairs a path with a port). */
export function probeAction(probe: Probe, port: number | undefined): Record<string, unknown> {
  return typeof probe === 'string' ? { httpGet: { path: probe, port, scheme: 'HTTP' } } : { exec: { command: [...probe.exec] } };
}

/**
 * The value cdk8s-plus gave `cdk8s.io/metadata.addr` for a Deployment with id `id` under `parent`:
 * `Names.toLabelValue` of that construct, whose hash is the constructs library's address (sha1
 * over the path ids, each followed by a newline, ids named `Default` skipped, prefixed `c8`;
 * constructs@10.8.1 lib/private/node-addr.js `addressOf`).
 */
export function legacyPodAddress(parent: Construct, id: string): string {
  const ids = [...parent.node.scopes.map((s) => s.node.id), id];
  const hash = createHash('sha1');
  for (const c of ids) {
    if (c === 'Default') continue;
    hash.update(c);
    hash.update('\n');
  }
  const node = { path: parent.node.path ? `${parent.node.path}/${id}` : id, addr: `c8${hash.digest('hex')}` };
  return Names.toLabelValue({ node } as unknown as Construct);
}
