import { coldStartChain, explainTenant, runExplain } from '../../cli/commands/explain';
import { DEFAULT_PLATFORM_SETTINGS } from '../../constructs/platform-settings';
import { loadTenants } from '../../tenants/validate';
import { captureOutput } from './capture-output';

/** The example list, as a fixture (the suite never reads tenants/tenants.yaml: issue 21). */
const LIST = 'test/fixtures/example/tenants/tenants.yaml';
const tenants = loadTenants(LIST);
const tenant = (name: string) => tenants.find((t) => t.name === name)!;

describe('tenantscale explain', () => {
  test('an http tenant: the HTTP branch, its objects, and the cold-start chain budget → readiness → request → route → load balancer', () => {
    const e = explainTenant(tenant('ahmed'), DEFAULT_PLATFORM_SETTINGS, 120);
    expect(e.kind).toBe('http');
    expect(e.branch).toEqual(['Is your workload stateless? Yes → scale-to-zero candidate', 'Driven by HTTP requests? → KEDA + HTTP add-on']);
    expect(e.objects).toContain('InterceptorRoute tenant-ahmed/ahmed');
    expect(e.objects).toContain('ScaledObject tenant-ahmed/ahmed');
    expect(e.coldStartChain.map((s) => `${s.what} ${s.seconds}`)).toEqual([
      'cold-start budget 60',
      'interceptor readiness timeout 60',
      'interceptor request timeout 90',
      'HTTPRoute timeout 95',
      'load-balancer idle timeout 120',
    ]);
    expect(e.chainProblems).toEqual([]);
  });

  test('without --lb-idle-timeout: the figure pulumi up sets, the longest route timeout of the list (95 s), and its source', () => {
    const out = captureOutput();
    expect(runExplain('ahmed', { tenants: LIST, format: 'text' }, out)).toBe(0);
    expect(out.stdout).toContain(
      "    95 s  load-balancer idle timeout  [set by pulumi up from the longest route timeout of the list (tenant ahmed, 95 s), at least DigitalOcean's 60 s default, unless tenantscale:gateway.loadBalancer.httpIdleTimeoutSeconds is set]",
    );
    expect(out.stdout).toContain('  ✓ every step covers the one before it');
  });

  test("DigitalOcean's default 60 s idle timeout cuts a 95 s route short: exit 2 and the step named", () => {
    const out = captureOutput();
    expect(runExplain('ahmed', { tenants: LIST, lbIdleTimeout: '60', format: 'text' }, out)).toBe(2);
    expect(out.stdout).toContain('  ✗ load-balancer idle timeout (60 s) is shorter than the HTTPRoute timeout (95 s): the wait is cut at 60 s');
    expect(coldStartChain(tenant('ahmed'), 95).map((s) => s.seconds)).toEqual([60, 60, 90, 95, 95]);
  });

  test('a queue tenant: the queue branch, a TriggerAuthentication, no route and no chain', () => {
    const e = explainTenant(tenant('invoices'), DEFAULT_PLATFORM_SETTINGS, 60);
    expect(e.branch[1]).toBe('Driven by queue/event? → KEDA + matching scaler (Kafka, Redis, etc.)');
    expect(e.why).toContain('ScaledObject triggers: kafka');
    expect(e.objects).toContain('TriggerAuthentication tenant-invoices/invoices-0');
    expect(e.objects.some((o) => o.startsWith('HTTPRoute'))).toBe(false);
    expect(e.coldStartChain).toEqual([]);
  });

  test('a shared service: the HPA branch with its PDB', () => {
    const e = explainTenant(tenant('embeddings'), DEFAULT_PLATFORM_SETTINGS, 60);
    expect(e.branch[1]).toBe('CPU-bound, well-understood load? → HPA on CPU');
    expect(e.why).toEqual(expect.arrayContaining(['HPA on cpu 70% and memory 80%', 'PodDisruptionBudget maxUnavailable 1 (always on: never on a 0..N tenant)']));
  });

  test('an unknown name is an error with a suggestion (exit 1)', () => {
    const out = captureOutput();
    expect(runExplain('invoice', { tenants: LIST, lbIdleTimeout: '60', format: 'text' }, out)).toBe(1);
    expect(out.stderr[0]).toMatch(/^no tenant "invoice" in test\/fixtures\/example\/tenants\/tenants.yaml; did you mean "invoices"\?/);
  });
});

describe('tenantscale explain: the request path per routing mode', () => {
  test('interceptor: warm and cold both through the interceptor', () => {
    const e = explainTenant({ ...tenant('ahmed'), routing: 'interceptor' }, DEFAULT_PLATFORM_SETTINGS, 120);
    expect(e.paths!.warm).toBe('load balancer → Envoy → interceptor keda-add-ons-http-interceptor-proxy.keda:8080 → tenant Service → pod');
    expect(e.paths!.cold).toMatch(/^load balancer → Envoy → interceptor keda-add-ons-http-interceptor-proxy.keda:8080 \(holds the request/);
  });

  test('direct-when-warm: warm through the direct Backend, cold through the interceptor fallback; the cold-start chain stays', () => {
    const e = explainTenant({ ...tenant('ahmed'), routing: 'direct-when-warm' }, DEFAULT_PLATFORM_SETTINGS, 120);
    expect(e.paths!.warm).toBe('load balancer → Envoy → Backend ahmed-direct (tenant Service, priority 0, TCP health check passing) → pod');
    expect(e.paths!.cold).toMatch(/^load balancer → Envoy → Backend ahmed-interceptor \(fallback, priority 1.*→ interceptor keda-add-ons-http-interceptor-proxy.keda:8080 \(holds the request, wakes the tenant\) → pod$/);
    expect(e.coldStartChain.length).toBe(5);
    expect(e.objects).toEqual(expect.arrayContaining(['Backend tenant-ahmed/ahmed-direct', 'Backend tenant-ahmed/ahmed-interceptor', 'BackendTrafficPolicy tenant-ahmed/ahmed']));
  });

  test('a queue tenant has no request path', () => {
    const q = tenants.find((t) => t.kind === 'queue')!;
    expect(explainTenant(q, DEFAULT_PLATFORM_SETTINGS, 120).paths).toBeUndefined();
  });
});
