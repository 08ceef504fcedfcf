/**
 * Every manifest rule: it fires on its broken fixture with the expected object and message, it is
 * silent once the fixture gets exactly the fix the message names, and it is silent on the clean
 * counterpart (test/fixtures/clean). The subtleties of each rule get their own cases.
 */
import { runRules } from '../../policies/engine';
import { autoscaledWorkloadHasRequests } from '../../policies/rules/autoscaled-workload-has-requests';
import { autoscalerOwnsReplicas } from '../../policies/rules/autoscaler-owns-replicas';
import { coldStartTimeoutChain } from '../../policies/rules/cold-start-timeout-chain';
import { datastoreNeverScalesToZero, imageName } from '../../policies/rules/datastore-never-scales-to-zero';
import { cronCooldownFitsWindow } from '../../policies/rules/cron-cooldown-fits-window';
import { crossNamespaceRefGranted } from '../../policies/rules/cross-namespace-ref-granted';
import { hpaScaleDownStabilized } from '../../policies/rules/hpa-scale-down-stabilized';
import { httpScaledHasReadiness } from '../../policies/rules/http-scaled-has-readiness';
import { httpScaledRoutesThroughInterceptor } from '../../policies/rules/http-scaled-routes-through-interceptor';
import { httpScaledServicePort } from '../../policies/rules/http-scaled-service-port';
import { imagePinned } from '../../policies/rules/image-pinned';
import { MANIFEST_RULES } from '../../policies/rules';
import { memoryOnlyHpa } from '../../policies/rules/memory-only-hpa';
import { noVpaActingOnHpaResource } from '../../policies/rules/no-vpa-acting-on-hpa-resource';
import { oneHorizontalAutoscaler } from '../../policies/rules/one-horizontal-autoscaler';
import { pdbAllowsScaleDown } from '../../policies/rules/pdb-allows-scale-down';
import { pinnedImagePullPolicy } from '../../policies/rules/pinned-image-pull-policy';
import { routeAdmittedByGateway } from '../../policies/rules/route-admitted-by-gateway';
import { scaledownPeriodProduction } from '../../policies/rules/scaledown-period-production';
import { statefulNeverScalesToZero } from '../../policies/rules/stateful-never-scales-to-zero';
import { tenantGuardrails } from '../../policies/rules/tenant-guardrails';
import { uniqueHostnames } from '../../policies/rules/unique-hostnames';
import { vpaActingMode } from '../../policies/rules/vpa-acting-mode';
import type { KubeObject } from '../../policies/types';
import { container, find, fixture } from './helpers';

const clean = fixture('clean');

/** One violation's identity and message, for `toEqual`. */
function hit(rule: string, level: string, namespace: string, kind: string, name: string, message: RegExp) {
  return expect.objectContaining({ rule, level, namespace, kind, name, message: expect.stringMatching(message) });
}

describe('the fixtures', () => {
  test('the clean counterpart breaks no rule at all', () => {
    expect(runRules(clean)).toEqual([]);
  });

  test.each(MANIFEST_RULES.map((r) => r.name))('%s has a broken fixture that fires it, and is silent on the clean one', (name) => {
    const dir = name === 'cross-namespace-ref-granted' || name === 'scaledown-period-production' ? 'lesson-chatbot' : name;
    expect(runRules(fixture(dir), { rules: [name] }).length).toBeGreaterThan(0);
    expect(runRules(clean, { rules: [name] })).toEqual([]);
  });

  // A fixture breaks its own rule and nothing else (the lesson's chatbot breaks what the lesson gets wrong).
  test.each([
    ['autoscaled-workload-has-requests', ['autoscaled-workload-has-requests']],
    ['autoscaler-owns-replicas', ['autoscaler-owns-replicas']],
    ['one-horizontal-autoscaler', ['one-horizontal-autoscaler']],
    ['no-vpa-acting-on-hpa-resource', ['no-vpa-acting-on-hpa-resource', 'vpa-acting-mode']],
    ['vpa-acting-mode', ['vpa-acting-mode']],
    ['stateful-never-scales-to-zero', ['stateful-never-scales-to-zero']],
    ['hpa-scale-down-stabilized', ['hpa-scale-down-stabilized']],
    ['memory-only-hpa', ['memory-only-hpa']],
    ['http-scaled-routes-through-interceptor', ['http-scaled-routes-through-interceptor']],
    ['unique-hostnames', ['unique-hostnames']],
    ['cold-start-timeout-chain', ['cold-start-timeout-chain']],
    ['http-scaled-has-readiness', ['http-scaled-has-readiness']],
    ['image-pinned', ['image-pinned']],
    ['pinned-image-pull-policy', ['pinned-image-pull-policy']],
    ['pdb-allows-scale-down', ['pdb-allows-scale-down']],
    ['cron-cooldown-fits-window', ['cron-cooldown-fits-window']],
    ['tenant-guardrails', ['tenant-guardrails']],
    ['route-admitted-by-gateway', ['route-admitted-by-gateway']],
    ['http-scaled-service-port', ['http-scaled-service-port']],
    ['datastore-never-scales-to-zero', ['datastore-never-scales-to-zero']],
    [
      'lesson-chatbot',
      ['autoscaler-owns-replicas', 'cold-start-timeout-chain', 'cross-namespace-ref-granted', 'http-scaled-has-readiness', 'scaledown-period-production'],
    ],
  ])('fixture %s breaks exactly %j', (dir, rules) => {
    expect([...new Set(runRules(fixture(dir)).map((v) => v.rule))].sort()).toEqual([...rules].sort());
  });
});

describe('autoscaled-workload-has-requests', () => {
  test('fires for a limit-only container and for a container with no resources', () => {
    expect(autoscaledWorkloadHasRequests(fixture('autoscaled-workload-has-requests'))).toEqual([
      hit('autoscaled-workload-has-requests', 'mandatory', 'task-api', 'Deployment', 'task-api', /container "task-api" has no cpu request .*copies the limit into the request/),
      hit('autoscaled-workload-has-requests', 'mandatory', 'task-api', 'Deployment', 'task-api', /container "log-shipper" has no cpu request .*shows <unknown> and never scales/),
    ]);
  });

  test('silent once every container requests cpu', () => {
    const objects = fixture('autoscaled-workload-has-requests');
    const d = find(objects, 'Deployment', 'task-api');
    container(d, 0).resources.requests = { cpu: '100m' };
    container(d, 1).resources = { requests: { cpu: '10m' } };
    expect(autoscaledWorkloadHasRequests(objects)).toEqual([]);
  });

  test('a LimitRange defaultRequest in the namespace supplies the request', () => {
    const objects = fixture('autoscaled-workload-has-requests');
    objects.push({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'defaults', namespace: 'task-api' },
      spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '50m' } }] },
    });
    expect(autoscaledWorkloadHasRequests(objects)).toEqual([]);
  });

  test('a ContainerResource metric needs the request only in its container', () => {
    const objects = fixture('autoscaled-workload-has-requests');
    container(find(objects, 'Deployment', 'task-api'), 0).resources.requests = { cpu: '100m' };
    find(objects, 'HorizontalPodAutoscaler', 'task-api-hpa').spec.metrics = [
      { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'task-api', target: { type: 'Utilization', averageUtilization: 70 } } },
    ];
    expect(autoscaledWorkloadHasRequests(objects)).toEqual([]);
  });

  test('an HPA without metrics scales on cpu (the autoscaling/v2 default)', () => {
    const objects = fixture('autoscaled-workload-has-requests');
    delete find(objects, 'HorizontalPodAutoscaler', 'task-api-hpa').spec.metrics;
    expect(autoscaledWorkloadHasRequests(objects).map((v) => v.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/container "log-shipper" has no cpu request/)]),
    );
  });
});

describe('autoscaler-owns-replicas', () => {
  test('fires on a Deployment with replicas: 0 under a ScaledObject', () => {
    expect(autoscalerOwnsReplicas(fixture('autoscaler-owns-replicas'))).toEqual([
      hit('autoscaler-owns-replicas', 'mandatory', 'default', 'Deployment', 'hello', /sets spec\.replicas: 0 although ScaledObject\/hello-cron owns the replica count/),
    ]);
  });

  test('silent once spec.replicas is removed', () => {
    const objects = fixture('autoscaler-owns-replicas');
    delete find(objects, 'Deployment', 'hello').spec.replicas;
    expect(autoscalerOwnsReplicas(objects)).toEqual([]);
  });

  test('silent for a Deployment no autoscaler targets', () => {
    const objects = fixture('autoscaler-owns-replicas').filter((o) => o.kind !== 'ScaledObject');
    expect(autoscalerOwnsReplicas(objects)).toEqual([]);
  });
});

describe('one-horizontal-autoscaler', () => {
  test('fires on both the leftover HPA and the ScaledObject', () => {
    expect(oneHorizontalAutoscaler(fixture('one-horizontal-autoscaler'))).toEqual([
      hit('one-horizontal-autoscaler', 'mandatory', 'task-api', 'HorizontalPodAutoscaler', 'task-api-hpa', /fights ScaledObject\/task-api-request-rate over spec\.replicas/),
      hit('one-horizontal-autoscaler', 'mandatory', 'task-api', 'ScaledObject', 'task-api-request-rate', /fights HorizontalPodAutoscaler\/task-api-hpa over spec\.replicas/),
    ]);
  });

  test('silent once the manual HPA is deleted', () => {
    const objects = fixture('one-horizontal-autoscaler').filter((o) => o.kind !== 'HorizontalPodAutoscaler');
    expect(oneHorizontalAutoscaler(objects)).toEqual([]);
  });

  test("KEDA's own keda-hpa-* (owned by the ScaledObject) is not a second autoscaler", () => {
    const objects = fixture('one-horizontal-autoscaler');
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'task-api-hpa');
    (hpa.metadata as Record<string, unknown>).ownerReferences = [{ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'task-api-request-rate' }];
    expect(oneHorizontalAutoscaler(objects)).toEqual([]);
  });

  test('an HPA adopted with transfer-hpa-ownership counts once', () => {
    const objects = fixture('one-horizontal-autoscaler');
    const so = find(objects, 'ScaledObject', 'task-api-request-rate');
    so.metadata.annotations = { 'scaledobject.keda.sh/transfer-hpa-ownership': 'true' };
    so.spec.advanced = { horizontalPodAutoscalerConfig: { name: 'task-api-hpa' } };
    expect(oneHorizontalAutoscaler(objects)).toEqual([]);
  });

  const chatbotWith = (skip: boolean, scaledObjectName: string): KubeObject[] => {
    const objects = fixture('clean');
    const hso = find(objects, 'HTTPScaledObject', 'chatbot');
    if (skip) hso.metadata.annotations = { 'httpscaledobject.keda.sh/skip-scaledobject-creation': 'true' };
    objects.push({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: scaledObjectName, namespace: 'default' },
      spec: {
        scaleTargetRef: { name: 'chatbot' },
        triggers: [{ type: 'external-push', metadata: { scalerAddress: 'keda-add-ons-http-external-scaler.keda:9090', httpScaledObject: 'chatbot' } }],
      },
    });
    return objects;
  };

  test('an HTTPScaledObject that skips its ScaledObject plus the ScaledObject replacing it count once', () => {
    expect(oneHorizontalAutoscaler(chatbotWith(true, 'chatbot-combined'))).toEqual([]);
  });

  test('without the skip annotation the HTTPScaledObject and a ScaledObject of the same name collide', () => {
    expect(oneHorizontalAutoscaler(chatbotWith(false, 'chatbot'))).toEqual(
      expect.arrayContaining([
        hit('one-horizontal-autoscaler', 'mandatory', 'default', 'ScaledObject', 'chatbot', /creates a ScaledObject of this very name, so the two overwrite each other/),
      ]),
    );
  });
});

describe('no-vpa-acting-on-hpa-resource', () => {
  test('fires on a VPA in Auto mode resizing the cpu the HPA scales on', () => {
    expect(noVpaActingOnHpaResource(fixture('no-vpa-acting-on-hpa-resource'))).toEqual([
      hit('no-vpa-acting-on-hpa-resource', 'mandatory', 'task-api', 'VerticalPodAutoscaler', 'task-api', /updateMode Auto resizes cpu of Deployment\/task-api while HorizontalPodAutoscaler\/task-api-hpa scales it on cpu/),
    ]);
  });

  test('silent in Off mode', () => {
    const objects = fixture('no-vpa-acting-on-hpa-resource');
    find(objects, 'VerticalPodAutoscaler', 'task-api').spec.updatePolicy.updateMode = 'Off';
    expect(noVpaActingOnHpaResource(objects)).toEqual([]);
  });

  test('silent when the VPA controls memory only (the decision tree: "HPA on custom metric + VPA on memory only")', () => {
    const objects = fixture('no-vpa-acting-on-hpa-resource');
    find(objects, 'VerticalPodAutoscaler', 'task-api').spec.resourcePolicy = { containerPolicies: [{ containerName: '*', controlledResources: ['memory'] }] };
    expect(noVpaActingOnHpaResource(objects)).toEqual([]);
  });

  test('Initial mode still acts (every cold start gets the VPA request)', () => {
    const objects = fixture('no-vpa-acting-on-hpa-resource');
    find(objects, 'VerticalPodAutoscaler', 'task-api').spec.updatePolicy.updateMode = 'Initial';
    expect(noVpaActingOnHpaResource(objects)).toEqual([expect.objectContaining({ message: expect.stringMatching(/^updateMode Initial resizes cpu/) })]);
  });
});

describe('vpa-acting-mode', () => {
  test('fires on a VPA without updateMode (Auto)', () => {
    expect(vpaActingMode(fixture('vpa-acting-mode'))).toEqual([
      hit('vpa-acting-mode', 'advisory', 'shop', 'VerticalPodAutoscaler', 'api', /has no updateMode, so it runs in Auto mode/),
    ]);
  });

  test('silent in Off mode', () => {
    const objects = fixture('vpa-acting-mode');
    find(objects, 'VerticalPodAutoscaler', 'api').spec.updatePolicy = { updateMode: 'Off' };
    expect(vpaActingMode(objects)).toEqual([]);
  });
});

describe('stateful-never-scales-to-zero', () => {
  test('fires on a StatefulSet whose ScaledObject defaults to minReplicaCount 0', () => {
    expect(statefulNeverScalesToZero(fixture('stateful-never-scales-to-zero'))).toEqual([
      hit('stateful-never-scales-to-zero', 'mandatory', 'data', 'ScaledObject', 'postgres', /spec\.minReplicaCount is 0, so StatefulSet\/postgres can scale to zero, but it is a StatefulSet/),
    ]);
  });

  test('silent with minReplicaCount: 1', () => {
    const objects = fixture('stateful-never-scales-to-zero');
    find(objects, 'ScaledObject', 'postgres').spec.minReplicaCount = 1;
    expect(statefulNeverScalesToZero(objects)).toEqual([]);
  });

  test('idleReplicaCount: 0 drops it to zero despite minReplicaCount: 1', () => {
    const objects = fixture('stateful-never-scales-to-zero');
    Object.assign(find(objects, 'ScaledObject', 'postgres').spec, { minReplicaCount: 1, idleReplicaCount: 0 });
    expect(statefulNeverScalesToZero(objects)).toEqual([expect.objectContaining({ message: expect.stringMatching(/idleReplicaCount is 0/) })]);
  });

  test('a Deployment labelled tenantscale.io/stateful under an HTTPScaledObject with min 0 fires; a stateless one does not', () => {
    const objects = fixture('clean');
    expect(statefulNeverScalesToZero(objects)).toEqual([]);
    find(objects, 'Deployment', 'chatbot').metadata.labels = { app: 'chatbot', 'tenantscale.io/stateful': 'true' };
    expect(statefulNeverScalesToZero(objects)).toEqual([
      hit('stateful-never-scales-to-zero', 'mandatory', 'default', 'HTTPScaledObject', 'chatbot', /spec\.replicas\.min is 0, .* it is marked tenantscale\.io\/stateful: "true"/),
    ]);
  });
});

describe('hpa-scale-down-stabilized', () => {
  test('fires on a 0 s scale-down window', () => {
    expect(hpaScaleDownStabilized(fixture('hpa-scale-down-stabilized'))).toEqual([
      hit('hpa-scale-down-stabilized', 'advisory', 'web', 'HorizontalPodAutoscaler', 'web-app-hpa', /stabilizationWindowSeconds is 0/),
    ]);
  });

  test('silent at 60 s, and when unset (Kubernetes default 300 s)', () => {
    const objects = fixture('hpa-scale-down-stabilized');
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'web-app-hpa');
    hpa.spec.behavior.scaleDown.stabilizationWindowSeconds = 60;
    expect(hpaScaleDownStabilized(objects)).toEqual([]);
    delete hpa.spec.behavior;
    expect(hpaScaleDownStabilized(objects)).toEqual([]);
  });

  test("also reads a ScaledObject's advanced HPA behavior", () => {
    const objects = fixture('one-horizontal-autoscaler').filter((o) => o.kind !== 'HorizontalPodAutoscaler');
    find(objects, 'ScaledObject', 'task-api-request-rate').spec.advanced = { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 10 } } } };
    expect(hpaScaleDownStabilized(objects)).toEqual([
      hit('hpa-scale-down-stabilized', 'advisory', 'task-api', 'ScaledObject', 'task-api-request-rate', /horizontalPodAutoscalerConfig\.behavior\.scaleDown\.stabilizationWindowSeconds is 10/),
    ]);
  });
});

describe('memory-only-hpa', () => {
  test('fires on an HPA with only a memory metric', () => {
    expect(memoryOnlyHpa(fixture('memory-only-hpa'))).toEqual([
      hit('memory-only-hpa', 'advisory', 'rag', 'HorizontalPodAutoscaler', 'embeddings', /scales on memory alone/),
    ]);
  });

  test('silent once a cpu metric joins memory', () => {
    const objects = fixture('memory-only-hpa');
    find(objects, 'HorizontalPodAutoscaler', 'embeddings').spec.metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } });
    expect(memoryOnlyHpa(objects)).toEqual([]);
  });
});

describe('http-scaled-routes-through-interceptor', () => {
  test("fires on a route straight to the app's Service", () => {
    expect(httpScaledRoutesThroughInterceptor(fixture('http-scaled-routes-through-interceptor'))).toEqual([
      hit('http-scaled-routes-through-interceptor', 'mandatory', 'shop', 'HTTPRoute', 'storefront', /sends shop\.example\.com straight to Service storefront.*Gateway answers 503/),
    ]);
  });

  test('silent once the backend is the interceptor proxy', () => {
    const objects = fixture('http-scaled-routes-through-interceptor');
    find(objects, 'HTTPRoute', 'storefront').spec.rules[0].backendRefs = [{ name: 'keda-add-ons-http-interceptor-proxy', namespace: 'keda', port: 8080 }];
    expect(httpScaledRoutesThroughInterceptor(objects)).toEqual([]);
  });

  test('a wildcard hostname route to the interceptor serves the host', () => {
    const objects = fixture('clean');
    find(objects, 'HTTPRoute', 'chatbot-route').spec.hostnames = ['*.example.com'];
    expect(httpScaledRoutesThroughInterceptor(objects)).toEqual([]);
  });

  test('fires when no route has the host', () => {
    const objects = fixture('clean').filter((o) => o.kind !== 'HTTPRoute');
    expect(httpScaledRoutesThroughInterceptor(objects)).toEqual([
      hit('http-scaled-routes-through-interceptor', 'mandatory', 'default', 'HTTPScaledObject', 'chatbot', /no HTTPRoute or Ingress has hostname chatbot\.example\.com/),
    ]);
  });

  test('fires on the interceptor at the wrong port', () => {
    const objects = fixture('clean');
    find(objects, 'HTTPRoute', 'chatbot-route').spec.rules[0].backendRefs[0].port = 8000;
    expect(httpScaledRoutesThroughInterceptor(objects)).toEqual([expect.objectContaining({ message: expect.stringMatching(/on port 8000, but the interceptor proxy listens on 8080/) })]);
  });
});

describe('cross-namespace-ref-granted', () => {
  test("fires on the lesson's chatbot-route (no ReferenceGrant in keda)", () => {
    expect(crossNamespaceRefGranted(fixture('lesson-chatbot'))).toEqual([
      hit('cross-namespace-ref-granted', 'mandatory', 'default', 'HTTPRoute', 'chatbot-route', /references Service keda\/keda-add-ons-http-interceptor-proxy across namespaces and no ReferenceGrant in keda admits HTTPRoutes from default/),
    ]);
  });

  const grant = (fromNamespace: string, toName?: string): KubeObject => ({
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'ReferenceGrant',
    metadata: { name: 'grant', namespace: 'keda' },
    spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: fromNamespace }], to: [{ group: '', kind: 'Service', ...(toName ? { name: toName } : {}) }] },
  });

  test('silent with a ReferenceGrant in keda (named Service, or every Service)', () => {
    expect(crossNamespaceRefGranted([...fixture('lesson-chatbot'), grant('default', 'keda-add-ons-http-interceptor-proxy')])).toEqual([]);
    expect(crossNamespaceRefGranted([...fixture('lesson-chatbot'), grant('default')])).toEqual([]);
  });

  test('a grant for another namespace or another Service does not admit it', () => {
    expect(crossNamespaceRefGranted([...fixture('lesson-chatbot'), grant('tenant-ahmed')])).toHaveLength(1);
    expect(crossNamespaceRefGranted([...fixture('lesson-chatbot'), grant('default', 'keda-add-ons-http-interceptor-admin')])).toHaveLength(1);
  });
});

describe('unique-hostnames', () => {
  test('fires on both routes claiming the host (case-insensitively)', () => {
    expect(uniqueHostnames(fixture('unique-hostnames'))).toEqual([
      hit('unique-hostnames', 'mandatory', 'ahmed', 'HTTPRoute', 'ahmed', /hostname assistant\.example\.com on Gateway envoy-gateway-system\/main-gateway is also claimed by fatima\/HTTPRoute\/fatima/),
      hit('unique-hostnames', 'mandatory', 'fatima', 'HTTPRoute', 'fatima', /is also claimed by ahmed\/HTTPRoute\/ahmed/),
    ]);
  });

  test('silent with distinct hosts, or on different Gateways', () => {
    const objects = fixture('unique-hostnames');
    find(objects, 'HTTPRoute', 'fatima').spec.hostnames = ['fatima.example.com'];
    expect(uniqueHostnames(objects)).toEqual([]);
    const other = fixture('unique-hostnames');
    find(other, 'HTTPRoute', 'fatima').spec.parentRefs = [{ name: 'internal', namespace: 'envoy-gateway-system' }];
    expect(uniqueHostnames(other)).toEqual([]);
  });

  test('fires on two HTTPScaledObjects with one host', () => {
    const objects = fixture('clean');
    const copy = JSON.parse(JSON.stringify(find(objects, 'HTTPScaledObject', 'chatbot')));
    copy.metadata.namespace = 'other';
    objects.push(copy);
    expect(uniqueHostnames(objects)).toEqual([
      hit('unique-hostnames', 'mandatory', 'default', 'HTTPScaledObject', 'chatbot', /hostname chatbot\.example\.com is also claimed by other\/HTTPScaledObject\/chatbot: the interceptor/),
      hit('unique-hostnames', 'mandatory', 'other', 'HTTPScaledObject', 'chatbot', /also claimed by default\/HTTPScaledObject\/chatbot/),
    ]);
  });
});

describe('cold-start-timeout-chain', () => {
  test('fires on the interceptor wait (60 s < budget 120 s) and on the route (30 s < 60 s + 30 s)', () => {
    expect(coldStartTimeoutChain(fixture('cold-start-timeout-chain'))).toEqual([
      hit('cold-start-timeout-chain', 'mandatory', 'assistant', 'HTTPScaledObject', 'assistant', /the interceptor waits at most timeouts\.conditionWait 1m for a ready pod, but Deployment\/assistant may take 120s to start/),
      hit('cold-start-timeout-chain', 'mandatory', 'assistant', 'HTTPRoute', 'assistant', /gives up after timeouts\.request 30s, but for assistant\.example\.com the interceptor may hold the first request 90s \(timeouts\.conditionWait 1m \+ timeouts\.responseHeader 30s\)/),
    ]);
  });

  test('silent once each hop covers the next', () => {
    const objects = fixture('cold-start-timeout-chain');
    find(objects, 'HTTPScaledObject', 'assistant').spec.timeouts.conditionWait = '120s';
    find(objects, 'HTTPRoute', 'assistant').spec.rules[0].timeouts = { request: '150s', backendRequest: '150s' };
    expect(coldStartTimeoutChain(objects)).toEqual([]);
  });

  test("add-on 0.15 defaults on the lesson's chatbot: no readiness limit, 300 s response header, and Envoy Gateway's 15 s route", () => {
    expect(coldStartTimeoutChain(fixture('lesson-chatbot'))).toEqual([
      hit('cold-start-timeout-chain', 'mandatory', 'default', 'HTTPScaledObject', 'chatbot', /timeouts\.conditionWait is unset, so the interceptor default applies: KEDA_HTTP_READINESS_TIMEOUT, 0 at add-on 0\.15 \(no limit\)/),
      hit('cold-start-timeout-chain', 'mandatory', 'default', 'HTTPRoute', 'chatbot-route', /Envoy Gateway's default 15s \(timeouts\.request unset\).*5m \(readiness \(no limit\) \+ timeouts\.responseHeader 5m \(0\.15 default when unset\)\)/),
    ]);
  });

  const lessonWithTimeouts = () => {
    const objects = fixture('lesson-chatbot');
    find(objects, 'HTTPScaledObject', 'chatbot').spec.timeouts = { conditionWait: '30s', responseHeader: '20s' };
    return objects;
  };

  test('a BackendTrafficPolicy requestTimeout counts when the route sets none; a short backendRequest still fires', () => {
    const objects = lessonWithTimeouts();
    objects.push({
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'BackendTrafficPolicy',
      metadata: { name: 'slow-start', namespace: 'default' },
      spec: { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'chatbot-route' }], timeout: { http: { requestTimeout: '60s' } } },
    });
    expect(coldStartTimeoutChain(objects)).toEqual([]);
    find(objects, 'HTTPRoute', 'chatbot-route').spec.rules[0].timeouts = { request: '60s', backendRequest: '10s' };
    expect(coldStartTimeoutChain(objects)).toEqual([expect.objectContaining({ message: expect.stringMatching(/gives up after timeouts\.backendRequest 10s/) })]);
  });

  test('"0s" disables the route timeout', () => {
    const objects = lessonWithTimeouts();
    find(objects, 'HTTPRoute', 'chatbot-route').spec.rules[0].timeouts = { request: '0s' };
    expect(coldStartTimeoutChain(objects)).toEqual([]);
  });

  test('a failover Service bounds an unset conditionWait (its timeoutSeconds, CRD default 30)', () => {
    const objects = fixture('lesson-chatbot');
    find(objects, 'HTTPScaledObject', 'chatbot').spec.coldStartTimeoutFailoverRef = { service: 'static', port: 8080 };
    expect(coldStartTimeoutChain(objects)).toEqual([
      hit('cold-start-timeout-chain', 'mandatory', 'default', 'HTTPRoute', 'chatbot-route', /330s \(coldStartTimeoutFailoverRef\.timeoutSeconds 30s \+ timeouts\.responseHeader 5m/),
    ]);
  });
});

describe('http-scaled-has-readiness', () => {
  test('fires on a serving container without a readiness probe', () => {
    expect(httpScaledHasReadiness(fixture('http-scaled-has-readiness'))).toEqual([
      hit('http-scaled-has-readiness', 'mandatory', 'notes', 'Deployment', 'notes', /container "app" has no readinessProbe, but HTTPScaledObject\/notes wakes/),
    ]);
  });

  test('silent once it has one', () => {
    const objects = fixture('http-scaled-has-readiness');
    container(find(objects, 'Deployment', 'notes')).readinessProbe = { httpGet: { path: '/readyz', port: 9898 } };
    expect(httpScaledHasReadiness(objects)).toEqual([]);
  });
});

describe('image-pinned', () => {
  test('fires on an untagged image and a :latest init container', () => {
    expect(imagePinned(fixture('image-pinned'))).toEqual([
      hit('image-pinned', 'mandatory', 'shop', 'Deployment', 'web', /^initContainers\[migrate\] image ghcr\.io\/example\/migrate:latest is not pinned/),
      hit('image-pinned', 'mandatory', 'shop', 'Deployment', 'web', /^containers\[web\] image nginx is not pinned: it has no tag/),
    ]);
  });

  test('silent for a tag or a digest (a registry port is not a tag)', () => {
    const objects = fixture('image-pinned');
    const d = find(objects, 'Deployment', 'web');
    d.spec.template.spec.initContainers[0].image = 'localhost:5000/migrate:1.0.2';
    container(d).image = `nginx@sha256:${'a'.repeat(64)}`;
    expect(imagePinned(objects)).toEqual([]);
    d.spec.template.spec.initContainers[0].image = 'localhost:5000/migrate';
    expect(imagePinned(objects)).toHaveLength(1);
  });
});

describe('pinned-image-pull-policy', () => {
  test('fires on a pinned image with imagePullPolicy: Always', () => {
    expect(pinnedImagePullPolicy(fixture('pinned-image-pull-policy'))).toEqual([
      hit('pinned-image-pull-policy', 'advisory', 'shop', 'Deployment', 'web', /pulls the pinned image nginx:1\.27\.3 on every start/),
    ]);
  });

  test('silent with IfNotPresent, and for unpinned images (image-pinned reports those)', () => {
    const objects = fixture('pinned-image-pull-policy');
    const c = container(find(objects, 'Deployment', 'web'));
    c.imagePullPolicy = 'IfNotPresent';
    expect(pinnedImagePullPolicy(objects)).toEqual([]);
    Object.assign(c, { image: 'nginx:latest', imagePullPolicy: 'Always' });
    expect(pinnedImagePullPolicy(objects)).toEqual([]);
  });
});

describe('pdb-allows-scale-down', () => {
  test('fires on minAvailable: 1 over a scale-to-zero worker', () => {
    expect(pdbAllowsScaleDown(fixture('pdb-allows-scale-down'))).toEqual([
      hit('pdb-allows-scale-down', 'mandatory', 'ai-agents', 'PodDisruptionBudget', 'ai-agent-worker', /minAvailable: 1 allows no eviction while Deployment\/ai-agent-worker runs a single pod \(as it does after waking from zero\)/),
    ]);
  });

  test('silent with maxUnavailable: 1, or when the floor is 2 replicas', () => {
    const objects = fixture('pdb-allows-scale-down');
    find(objects, 'PodDisruptionBudget', 'ai-agent-worker').spec = { maxUnavailable: 1, selector: { matchLabels: { app: 'ai-agent-worker' } } };
    expect(pdbAllowsScaleDown(objects)).toEqual([]);
    const floor2 = fixture('pdb-allows-scale-down');
    find(floor2, 'ScaledObject', 'ai-agent-kafka-scaler').spec.minReplicaCount = 2;
    expect(pdbAllowsScaleDown(floor2)).toEqual([]);
  });

  test('maxUnavailable "0%" blocks too; "50%" of one pod rounds up to one eviction', () => {
    const objects = fixture('pdb-allows-scale-down');
    const pdb = find(objects, 'PodDisruptionBudget', 'ai-agent-worker');
    pdb.spec = { maxUnavailable: '0%', selector: pdb.spec.selector };
    expect(pdbAllowsScaleDown(objects)).toHaveLength(1);
    pdb.spec.maxUnavailable = '50%';
    expect(pdbAllowsScaleDown(objects)).toEqual([]);
  });
});

describe('cron-cooldown-fits-window', () => {
  test("fires on the lesson's hello-cron without cooldownPeriod (300 s default vs a 3-minute off-window)", () => {
    expect(cronCooldownFitsWindow(fixture('cron-cooldown-fits-window'))).toEqual([
      hit('cron-cooldown-fits-window', 'advisory', 'default', 'ScaledObject', 'hello-cron', /off for only 3m between "2-59\/5 \* \* \* \*" and the next "\*\/5 \* \* \* \*", but cooldownPeriod 300s \(KEDA default\)/),
    ]);
  });

  test('silent with cooldownPeriod: 30', () => {
    const objects = fixture('cron-cooldown-fits-window');
    find(objects, 'ScaledObject', 'hello-cron').spec.cooldownPeriod = 30;
    expect(cronCooldownFitsWindow(objects)).toEqual([]);
  });

  test('with minReplicaCount ≥ 1 the HPA scale-down window governs instead', () => {
    const objects = fixture('cron-cooldown-fits-window');
    const so = find(objects, 'ScaledObject', 'hello-cron');
    Object.assign(so.spec, { minReplicaCount: 1, maxReplicaCount: 3, cooldownPeriod: 30 });
    expect(cronCooldownFitsWindow(objects)).toEqual([expect.objectContaining({ message: expect.stringMatching(/the HPA scale-down window 300s \(default\)/) })]);
    so.spec.advanced = { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } };
    expect(cronCooldownFitsWindow(objects)).toEqual([]);
  });
});

describe('tenant-guardrails', () => {
  test('fires once per missing guardrail of a bare tenant namespace', () => {
    const messages = tenantGuardrails(fixture('tenant-guardrails')).map((v) => {
      expect(v).toEqual(expect.objectContaining({ rule: 'tenant-guardrails', level: 'mandatory', namespace: '', kind: 'Namespace', name: 'tenant-bare' }));
      return v.message;
    });
    expect(messages).toEqual([
      expect.stringMatching(/^no pod-security\.kubernetes\.io\/enforce label/),
      expect.stringMatching(/^no ResourceQuota/),
      expect.stringMatching(/^no LimitRange with Container defaults/),
      expect.stringMatching(/^no NetworkPolicy isolates ingress/),
      expect.stringMatching(/^no NetworkPolicy isolates egress/),
    ]);
  });

  test('silent once the namespace has all four', () => {
    const objects = fixture('tenant-guardrails');
    find(objects, 'Namespace', 'tenant-bare').metadata.labels = { 'pod-security.kubernetes.io/enforce': 'restricted' };
    const meta = { name: 'bare', namespace: 'tenant-bare' };
    objects.push(
      { apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta, spec: { hard: { pods: '4' } } },
      { apiVersion: 'v1', kind: 'LimitRange', metadata: meta, spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '100m' } }] } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
    );
    expect(tenantGuardrails(objects)).toEqual([]);
  });

  test('"privileged" enforces nothing; an ingress-only policy leaves egress open', () => {
    const objects = fixture('tenant-guardrails');
    find(objects, 'Namespace', 'tenant-bare').metadata.labels = { 'pod-security.kubernetes.io/enforce': 'privileged' };
    objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'tenant-bare' }, spec: { podSelector: { matchLabels: { app: 'bare' } } } });
    const messages = tenantGuardrails(objects).map((v) => v.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/is "privileged", which enforces nothing/), expect.stringMatching(/isolates egress/)]));
    expect(messages).not.toEqual(expect.arrayContaining([expect.stringMatching(/isolates ingress/)]));
  });
});

describe('route-admitted-by-gateway', () => {
  test('fires when the listener admits only its own namespace (from: Same by default)', () => {
    expect(routeAdmittedByGateway(fixture('route-admitted-by-gateway'))).toEqual([
      hit('route-admitted-by-gateway', 'mandatory', 'shop', 'HTTPRoute', 'storefront', /admits routes from its own namespace only \(allowedRoutes\.namespaces\.from: Same by default\) and the route is in shop/),
    ]);
  });

  test('silent with from: All, or a Selector the Namespace matches', () => {
    const objects = fixture('route-admitted-by-gateway');
    const listener = find(objects, 'Gateway', 'main-gateway').spec.listeners[0];
    listener.allowedRoutes = { namespaces: { from: 'All' } };
    expect(routeAdmittedByGateway(objects)).toEqual([]);
    listener.allowedRoutes = { namespaces: { from: 'Selector', selector: { matchLabels: { 'tenantscale.io/gateway-access': 'tenant' } } } };
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'tenantscale.io/gateway-access': 'tenant' } } });
    expect(routeAdmittedByGateway(objects)).toEqual([]);
    find(objects, 'Namespace', 'shop').metadata.labels = {};
    expect(routeAdmittedByGateway(objects)).toEqual([expect.objectContaining({ message: expect.stringMatching(/Namespace shop does not carry those labels/) })]);
  });

  test('fires on a sectionName the Gateway does not have', () => {
    const objects = fixture('route-admitted-by-gateway');
    find(objects, 'HTTPRoute', 'storefront').spec.parentRefs[0].sectionName = 'https';
    expect(routeAdmittedByGateway(objects)).toEqual([expect.objectContaining({ message: expect.stringMatching(/names listener "https" of Gateway\/main-gateway, which has no such listener/) })]);
  });
});

describe('http-scaled-service-port', () => {
  test("fires on the container port instead of the Service port (the lesson's --target-port)", () => {
    expect(httpScaledServicePort(fixture('http-scaled-service-port'))).toEqual([
      hit('http-scaled-service-port', 'mandatory', 'bots', 'HTTPScaledObject', 'chatbot', /scaleTargetRef\.port 9898 is not a port of Service chatbot \(ports: 8000\); it is the container's targetPort behind port 8000/),
    ]);
  });

  test('silent with the Service port', () => {
    const objects = fixture('http-scaled-service-port');
    find(objects, 'HTTPScaledObject', 'chatbot').spec.scaleTargetRef.port = 8000;
    expect(httpScaledServicePort(objects)).toEqual([]);
  });

  test('fires when the Service is missing next to its Deployment', () => {
    const objects = fixture('http-scaled-service-port').filter((o) => o.kind !== 'Service');
    expect(httpScaledServicePort(objects)).toEqual([expect.objectContaining({ message: expect.stringMatching(/scaleTargetRef\.service chatbot does not exist next to Deployment\/chatbot/) })]);
  });
});

describe('scaledown-period-production', () => {
  test("fires on the lesson's demo scaledownPeriod: 60", () => {
    expect(scaledownPeriodProduction(fixture('lesson-chatbot'))).toEqual([
      hit('scaledown-period-production', 'advisory', 'default', 'HTTPScaledObject', 'chatbot', /scaledownPeriod is 60s/),
    ]);
  });

  test('silent at 600 s and when unset (the add-on default 300 s)', () => {
    const objects = fixture('lesson-chatbot');
    const hso = find(objects, 'HTTPScaledObject', 'chatbot');
    hso.spec.scaledownPeriod = 600;
    expect(scaledownPeriodProduction(objects)).toEqual([]);
    delete hso.spec.scaledownPeriod;
    expect(scaledownPeriodProduction(objects)).toEqual([]);
  });
});

describe('scaledown-period-production on the InterceptorRoute model (the ScaledObject behind the route)', () => {
  const routed = () => fixture('cold-start-timeout-chain-interceptor-route-fixed');

  test('fires on a cooldownPeriod of 60 s on a ScaledObject that takes the routed workload to zero', () => {
    const objects = routed();
    const so = objects.find((o) => o.kind === 'ScaledObject')!;
    (so as any).spec.cooldownPeriod = 60;
    expect(scaledownPeriodProduction(objects)).toEqual([
      hit('scaledown-period-production', 'advisory', so.metadata.namespace!, 'ScaledObject', so.metadata.name, /cooldownPeriod is 60s on the ScaledObject behind an InterceptorRoute/),
    ]);
  });

  test('silent at 600 s, when unset (KEDA default 300 s), and at 60 s when the workload never goes below one replica', () => {
    const objects = routed();
    const so = objects.find((o) => o.kind === 'ScaledObject')! as any;
    expect(so.spec.cooldownPeriod).toBe(600);
    expect(scaledownPeriodProduction(objects)).toEqual([]);
    delete so.spec.cooldownPeriod;
    expect(scaledownPeriodProduction(objects)).toEqual([]);
    so.spec.cooldownPeriod = 60;
    so.spec.minReplicaCount = 1;
    expect(scaledownPeriodProduction(objects)).toEqual([]);
  });
});

describe('datastore-never-scales-to-zero', () => {
  test('fires on Redis in a Deployment a ScaledObject can scale to zero', () => {
    expect(datastoreNeverScalesToZero(fixture('datastore-never-scales-to-zero'))).toEqual([
      hit('datastore-never-scales-to-zero', 'advisory', 'chat', 'ScaledObject', 'session-cache', /can scale Deployment\/session-cache to zero, and it runs docker\.io\/library\/redis:7\.4\.2/),
    ]);
  });

  test('silent with minReplicaCount: 1, and left to stateful-never-scales-to-zero once marked stateful', () => {
    const objects = fixture('datastore-never-scales-to-zero');
    find(objects, 'ScaledObject', 'session-cache').spec.minReplicaCount = 1;
    expect(datastoreNeverScalesToZero(objects)).toEqual([]);
    const marked = fixture('datastore-never-scales-to-zero');
    find(marked, 'Deployment', 'session-cache').metadata.labels = { 'tenantscale.io/stateful': 'true' };
    expect(datastoreNeverScalesToZero(marked)).toEqual([]);
    expect(runRules(marked).map((v) => v.rule)).toEqual(['stateful-never-scales-to-zero']);
  });

  test('silent for an image that merely contains a datastore name', () => {
    const objects = fixture('datastore-never-scales-to-zero');
    container(find(objects, 'Deployment', 'session-cache')).image = 'ghcr.io/example/redis-exporter:1.2.0';
    expect(datastoreNeverScalesToZero(objects)).toEqual([]);
  });

  test('imageName strips registry, path, tag and digest', () => {
    expect(['bitnami/postgresql:17.2.0', 'localhost:5000/team/kafka@sha256:abc', 'mongo'].map(imageName)).toEqual(['postgresql', 'kafka', 'mongo']);
  });
});
