import { Construct } from 'constructs';
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { TenantSpec, NAMESPACE_PREFIX } from '../tenants/schema';
import { HttpRoute, HttpRouteSpecRulesMatchesPathType, ReferenceGrantV1Beta1 } from './imports/gateway.networking.k8s.io';
import { HttpScaledObject } from './imports/http.keda.sh';
import {
  VerticalPodAutoscaler,
  VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesMaxAllowed as MaxAllowed,
  VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesMinAllowed as MinAllowed,
  VerticalPodAutoscalerSpecUpdatePolicyUpdateMode,
} from './imports/autoscaling.k8s.io';
import { ServiceMonitor } from './imports/monitoring.coreos.com';
import { DEFAULT_PLATFORM_SETTINGS, LABELS, MANAGER, PlatformSettings } from './platform-settings';
import { TenantGuardrails } from './tenant-guardrails';

/** Name of the application container in every tenant pod. */
export const APP_CONTAINER = 'app';

/** Seconds the route timeout adds on top of the interceptor's cold-start wait and response timeout. */
export const ROUTE_TIMEOUT_MARGIN_SECONDS = 5;

export interface TenantProps {
  /** The resolved tenant (see tenants/schema.ts); validate it before building. */
  readonly spec: TenantSpec;
  /**
   * Shared platform names: Gateway, interceptor Service, monitoring namespace.
   * @default DEFAULT_PLATFORM_SETTINGS
   */
  readonly settings?: PlatformSettings;
}

/**
 * Everything one scale-to-zero tenant needs, from one TenantSpec: its namespace (Pod Security
 * `restricted`, admitted by the shared Gateway), the Deployment (no `spec.replicas`: KEDA owns
 * it), the Service, the HTTPScaledObject, the HTTPRoute to the interceptor with a timeout that
 * covers the cold-start budget, the ReferenceGrant that lets that route cross into the
 * interceptor's namespace, the isolation guardrails, a VPA in recommendation mode and, when the
 * tenant exposes metrics, a ServiceMonitor.
 */
export class Tenant extends Construct {
  public readonly namespace: string;
  public readonly deployment: kplus.Deployment;
  public readonly service: kplus.k8s.KubeService;
  public readonly httpScaledObject: HttpScaledObject;
  public readonly httpRoute: HttpRoute;
  public readonly referenceGrant: ReferenceGrantV1Beta1;
  public readonly guardrails: TenantGuardrails;
  /** Absent when the cluster has no VPA (`settings.verticalPodAutoscalers` false). */
  public readonly verticalPodAutoscaler?: VerticalPodAutoscaler;
  /** Present when the tenant has a metrics endpoint and the cluster serves ServiceMonitors. */
  public readonly serviceMonitor?: ServiceMonitor;

  constructor(scope: Construct, id: string, props: TenantProps) {
    super(scope, id);
    const spec = props.spec;
    const settings = props.settings ?? DEFAULT_PLATFORM_SETTINGS;
    const name = spec.name;
    const namespace = tenantNamespace(name);
    this.namespace = namespace;

    const labels: Record<string, string> = {
      ...spec.labels,
      [LABELS.name]: name,
      [LABELS.tenant]: name,
      [LABELS.partOf]: MANAGER,
      [LABELS.managedBy]: MANAGER,
      // Read by the stateful-never-scales-to-zero policy rule on any manifest directory.
      ...(spec.stateful ? { [LABELS.stateful]: 'true' } : {}),
    };
    const selectorLabels = { [LABELS.name]: name, [LABELS.tenant]: name };
    const meta = (objectName: string, objectNamespace = namespace) => ({ name: objectName, namespace: objectNamespace, labels });

    // Plain API objects where cdk8s-plus adds nothing but cost (synth runs this for every tenant).
    new kplus.k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: namespace,
        labels: {
          ...labels,
          [settings.tenantNamespaceLabel.key]: settings.tenantNamespaceLabel.value,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });

    // ---- workload ------------------------------------------------------------------------
    const envVariables: Record<string, kplus.EnvValue> = {};
    for (const [key, value] of Object.entries(spec.env)) {
      envVariables[key] =
        typeof value === 'object'
          ? kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(this, `secret-${key}`, value.secret), key: value.key })
          : kplus.EnvValue.fromValue(String(value));
    }
    const secondsProbe = (n: number) => Duration.seconds(n);
    this.deployment = new kplus.Deployment(this, 'deployment', {
      metadata: {
        ...meta(name),
        annotations: { [LABELS.coldStartBudget]: String(spec.coldStartBudget) },
      },
      podMetadata: { labels },
      select: false,
      // A stateful tenant (one paired session, in-memory state) must never run two copies at once.
      strategy: spec.stateful ? kplus.DeploymentStrategy.recreate() : kplus.DeploymentStrategy.rollingUpdate(),
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user: spec.runAsUser, group: spec.runAsUser, fsGroup: spec.runAsUser },
      containers: [
        {
          name: APP_CONTAINER,
          image: spec.image,
          // Pinned images never change under a tag, so a node's cached copy is reused: image pull
          // is the largest part of a cold start.
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          ports: [{ number: spec.port, name: 'http' }],
          envVariables,
          // Ready as soon as the app answers: the interceptor releases held requests on readiness.
          readiness: kplus.Probe.fromHttpGet(spec.probes.readiness, {
            port: spec.port,
            initialDelaySeconds: secondsProbe(0),
            periodSeconds: secondsProbe(1),
            failureThreshold: 3,
          }),
          liveness: kplus.Probe.fromHttpGet(spec.probes.liveness, {
            port: spec.port,
            periodSeconds: secondsProbe(10),
            failureThreshold: 3,
          }),
          // Checked every second for up to the cold-start budget: a slow start is not killed, and
          // readiness is not delayed by a coarse startup period.
          startup: kplus.Probe.fromTcpSocket({
            port: spec.port,
            periodSeconds: secondsProbe(1),
            failureThreshold: spec.coldStartBudget,
          }),
          securityContext: {
            ensureNonRoot: true,
            user: spec.runAsUser,
            group: spec.runAsUser,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            privileged: false,
            capabilities: { drop: [kplus.Capability.ALL] },
            seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
          },
          volumeMounts: [
            { path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }) },
          ],
        },
      ],
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: selectorLabels }));
    // KEDA owns the replica count: without this cdk8s-plus writes `replicas: 2`, and every
    // `pulumi up` or GitOps sync would fight the autoscaler.
    this.deployment.markHasAutoscaler();
    // Resources exactly as written in the tenant list (cdk8s-plus would re-express memory in Mi
    // and refuse decimal units). The patch is applied before the generated KubeDeployment
    // serializer, which reads quantities as k8s.Quantity, so the values are Quantities too.
    const q = (v: string) => kplus.k8s.Quantity.fromString(v);
    ApiObject.of(this.deployment).addJsonPatch(
      JsonPatch.replace('/spec/template/spec/containers/0/resources', {
        requests: { cpu: q(spec.resources.requests.cpu), memory: q(spec.resources.requests.memory) },
        limits: { cpu: q(spec.resources.limits.cpu), memory: q(spec.resources.limits.memory) },
      }),
    );

    this.service = new kplus.k8s.KubeService(this, 'service', {
      metadata: meta(name),
      spec: {
        type: 'ClusterIP',
        selector: selectorLabels,
        ports: [{ name: 'http', port: spec.port, targetPort: kplus.k8s.IntOrString.fromNumber(spec.port) }],
      },
    });

    // ---- autoscaling -----------------------------------------------------------------------
    const metric = spec.scaling.metric;
    this.httpScaledObject = new HttpScaledObject(this, 'http-scaled-object', {
      metadata: meta(name),
      spec: {
        hosts: [...spec.hosts],
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name, service: name, port: spec.port },
        replicas: { min: spec.scaling.min, max: spec.scaling.max },
        scaledownPeriod: spec.scaling.scaledownPeriod,
        scalingMetric: metric.requestRate
          ? {
              requestRate: {
                targetValue: metric.requestRate.target,
                window: metric.requestRate.window,
                granularity: metric.requestRate.granularity,
              },
            }
          : { concurrency: { targetValue: metric.concurrency!.target } },
        timeouts: {
          // How long the interceptor holds the first request while the pod starts.
          conditionWait: `${spec.coldStartBudget}s`,
          responseHeader: `${spec.responseTimeout}s`,
        },
      },
    });

    if (settings.verticalPodAutoscalers) {
      this.verticalPodAutoscaler = new VerticalPodAutoscaler(this, 'vpa', {
        metadata: meta(name),
        spec: {
          targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          // Recommendation only: VPA must not resize what KEDA scales.
          updatePolicy: { updateMode: VerticalPodAutoscalerSpecUpdatePolicyUpdateMode.OFF },
          resourcePolicy: {
            containerPolicies: [
              {
                containerName: APP_CONTAINER,
                controlledResources: ['cpu', 'memory'],
                minAllowed: {
                  cpu: MinAllowed.fromString(spec.vpa.minAllowed.cpu),
                  memory: MinAllowed.fromString(spec.vpa.minAllowed.memory),
                },
                maxAllowed: {
                  cpu: MaxAllowed.fromString(spec.vpa.maxAllowed.cpu),
                  memory: MaxAllowed.fromString(spec.vpa.maxAllowed.memory),
                },
              },
            ],
          },
        },
      });
    }

    // ---- traffic -----------------------------------------------------------------------------
    // The interceptor's own limits plus a margin, so that when they run out the client gets the
    // interceptor's answer rather than Envoy cutting the stream first.
    const routeTimeout = `${spec.coldStartBudget + spec.responseTimeout + ROUTE_TIMEOUT_MARGIN_SECONDS}s`;
    this.httpRoute = new HttpRoute(this, 'http-route', {
      metadata: {
        ...meta(name),
        annotations: { [LABELS.coldStartBudget]: String(spec.coldStartBudget) },
      },
      spec: {
        parentRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: settings.gateway.name,
            namespace: settings.gateway.namespace,
            sectionName: settings.gateway.listener,
          },
        ],
        hostnames: [...spec.hosts],
        rules: [
          {
            matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/' } }],
            // Through the interceptor, never straight to the Service: at zero replicas the
            // Service has no endpoints and the Gateway would answer 503.
            backendRefs: [
              {
                group: '',
                kind: 'Service',
                name: settings.interceptor.service,
                namespace: settings.interceptor.namespace,
                port: settings.interceptor.port,
              },
            ],
            // Envoy Gateway's default route timeout (15 s) would cut a 10-40 s cold start short.
            timeouts: { request: routeTimeout, backendRequest: routeTimeout },
          },
        ],
      },
    });

    // Lets this tenant's HTTPRoutes (and only this tenant's namespace) reference the interceptor
    // Service across namespaces; without it Envoy Gateway refuses the backend (RefNotPermitted).
    this.referenceGrant = new ReferenceGrantV1Beta1(this, 'reference-grant', {
      metadata: meta(namespace, settings.interceptor.namespace),
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace }],
        to: [{ group: '', kind: 'Service', name: settings.interceptor.service }],
      },
    });

    this.guardrails = new TenantGuardrails(this, 'guardrails', {
      spec,
      namespace,
      settings,
      labels,
      maxPods: tenantMaxPods(spec),
    });

    if (spec.metrics && settings.serviceMonitors) {
      this.serviceMonitor = new ServiceMonitor(this, 'service-monitor', {
        metadata: meta(name),
        spec: {
          selector: { matchLabels: selectorLabels },
          endpoints: [{ port: 'http', path: spec.metrics.path, interval: spec.metrics.interval }],
        },
      });
    }
  }
}

/** Namespace of a tenant: `tenant-<name>`. */
export function tenantNamespace(name: string): string {
  return `${NAMESPACE_PREFIX}${name}`;
}

/** Most pods a tenant can run at once: max replicas plus the rolling-update surge (25%, rounded up). */
export function tenantMaxPods(spec: TenantSpec): number {
  return spec.stateful ? spec.scaling.max : spec.scaling.max + Math.ceil(spec.scaling.max / 4);
}
