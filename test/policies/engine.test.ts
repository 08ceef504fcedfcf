/**
 * The engine: loading any directory of manifests, running the rules in a stable order, and the
 * synthesized example tenants (with the platform Gateway they attach to) passing every rule.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tenantManifests } from '../../constructs/manifests';
import { platformManifests } from '../../constructs/platform/platform-manifests';
import { isKubeObject, latestDefinitions, loadManifestDir, MANIFEST_RULES, PolicyInputError, RESOURCE_RULES, runRules, sortViolations } from '../../policies/engine';
import { ADDED_RULES } from '../../policies/rules';
import type { KubeObject, Violation } from '../../policies/types';
import { loadTenants } from '../../tenants/validate';
import { find, fixture, FIXTURES } from './helpers';
import { EXAMPLE_TENANTS } from '../example-project';

const TENANTS_FILE = EXAMPLE_TENANTS;

describe('the synthesized example', () => {
  const tenants = loadTenants(TENANTS_FILE);
  const objects = (): KubeObject[] => [...platformManifests(), ...tenants.flatMap((t) => tenantManifests(t))];

  test('every example tenant, with the platform objects, breaks no rule', () => {
    expect(tenants.map((t) => t.name)).toEqual(['ahmed', 'fatima', 'openclaw', 'invoices', 'nightly-report', 'embeddings']);
    expect(runRules(objects())).toEqual([]);
  });

  test('each tenant alone breaks no rule either', () => {
    for (const t of tenants) expect(runRules(tenantManifests(t))).toEqual([]);
  });

  test('the rules do look at it: a stateful tenant (labelled tenantscale.io/stateful) moved to min 0 is caught', () => {
    const all = objects();
    const so = all.find((o) => o.kind === 'ScaledObject' && o.metadata.name === 'openclaw') as KubeObject & { spec: any };
    so.spec.minReplicaCount = 0;
    expect(runRules(all)).toEqual([
      expect.objectContaining({
        rule: 'stateful-never-scales-to-zero',
        namespace: 'tenant-openclaw',
        kind: 'ScaledObject',
        message: expect.stringMatching(/it is marked tenantscale.io\/stateful: "true"/),
      }),
    ]);
  });

  test('the platform Gateway admits tenant routes only from labelled namespaces', () => {
    const all = objects();
    const ns = all.find((o) => o.kind === 'Namespace' && o.metadata.name === 'tenant-ahmed')!;
    delete ns.metadata.labels!['tenantscale.io/gateway-access'];
    expect(runRules(all, { rules: ['route-admitted-by-gateway'] })).toEqual([
      expect.objectContaining({ namespace: 'tenant-ahmed', kind: 'HTTPRoute', name: 'ahmed', message: expect.stringMatching(/Namespace tenant-ahmed does not carry those labels/) }),
      // and its HTTP→HTTPS redirect route, on the HTTP listener
      expect.objectContaining({ namespace: 'tenant-ahmed', kind: 'HTTPRoute', name: 'ahmed-https-redirect', message: expect.stringMatching(/listener http admits namespaces matching/) }),
    ]);
  });
});

describe('runRules', () => {
  test('returns violations sorted by namespace, kind, name, rule and message', () => {
    const objects = [...fixture('lesson-chatbot'), ...fixture('tenant-guardrails'), ...fixture('image-pinned')];
    const violations = runRules(objects);
    expect(violations).toEqual(sortViolations(violations));
    expect(violations.map((v) => v.namespace)[0]).toBe('');
    expect(runRules([...objects].reverse())).toEqual(violations);
  });

  test('options.rules runs only the named rules; an unknown name is an error', () => {
    const objects = fixture('lesson-chatbot');
    expect(new Set(runRules(objects, { rules: ['cross-namespace-ref-granted'] }).map((v) => v.rule))).toEqual(new Set(['cross-namespace-ref-granted']));
    expect(() => runRules(objects, { rules: ['no-such-rule'] })).toThrow(PolicyInputError);
    expect(() => runRules(objects, { rules: ['no-such-rule'] })).toThrow(/unknown rule: no-such-rule/);
  });

  test('objects without apiVersion, kind or metadata.name are ignored, not fatal', () => {
    const broken = [{ kind: 'Deployment' }, null, { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }] as unknown as KubeObject[];
    expect(runRules(broken)).toEqual([]);
    expect(isKubeObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } })).toBe(true);
  });

  test('namespaced objects without a namespace land in default, as kubectl apply puts them', () => {
    const objects = fixture('autoscaler-owns-replicas');
    for (const o of objects) delete o.metadata.namespace;
    expect(runRules(objects)).toEqual([expect.objectContaining({ rule: 'autoscaler-owns-replicas', namespace: 'default', name: 'hello' })]);
  });
});

describe('the rule catalogue', () => {
  const all = [...MANIFEST_RULES, ...RESOURCE_RULES];

  test('the twenty rules of the issue, plus the ones added, each named once in kebab-case', () => {
    const names = all.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
    expect(names.filter((n) => !ADDED_RULES.includes(n))).toHaveLength(20);
  });

  test('every rule says why, at which level, and which lesson pitfall it encodes', () => {
    for (const r of all) {
      expect(['mandatory', 'advisory']).toContain(r.level);
      expect(r.description.length).toBeGreaterThan(60);
      expect(r.pitfall.length).toBeGreaterThan(10);
    }
    const advisory = all.filter((r) => r.level === 'advisory').map((r) => r.name).sort();
    expect(advisory).toEqual(
      ['capacity-fits', 'cron-cooldown-fits-window', 'datastore-never-scales-to-zero', 'hpa-scale-down-stabilized', 'memory-only-hpa', 'pinned-image-pull-policy', 'scaledown-period-production', 'vpa-acting-mode'].sort(),
    );
  });
});

describe('loadManifestDir', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tenantscale-check-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'a' } });

  test('reads *.yaml, *.yml and *.json recursively, multi-document streams and kind: List, in path order', () => {
    mkdirSync(join(dir, 'b', 'deeper'), { recursive: true });
    writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one, namespace: a}\n---\n# empty\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: two, namespace: a}\n');
    writeFileSync(join(dir, 'b', 'c.yml'), 'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: three, namespace: a}}\n');
    writeFileSync(join(dir, 'b', 'deeper', 'd.json'), JSON.stringify(cm('four')));
    writeFileSync(join(dir, 'values.yaml'), 'replicaCount: 2\nimage: {tag: latest}\n');
    writeFileSync(join(dir, 'notes.txt'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ignored}\n');
    expect(loadManifestDir(dir).map((o) => o.metadata.name)).toEqual(['one', 'two', 'three', 'four']);
  });

  test('a single file works too', () => {
    writeFileSync(join(dir, 'one.json'), JSON.stringify(cm('solo')));
    expect(loadManifestDir(join(dir, 'one.json')).map((o) => o.metadata.name)).toEqual(['solo']);
  });

  test('invalid YAML names the file and line; a missing directory is an error', () => {
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: [ConfigMap\n');
    expect(() => loadManifestDir(dir)).toThrow(/bad\.yaml:\d+: not valid YAML/);
    expect(() => loadManifestDir(join(dir, 'missing'))).toThrow(/no such directory/);
  });

  test('loads every fixture directory', () => {
    const objects = loadManifestDir(FIXTURES);
    expect(objects.length).toBeGreaterThan(60);
    expect(find(objects, 'HTTPRoute', 'chatbot-route').metadata.namespace).toBe('default');
  });
});

describe('sortViolations', () => {
  test('orders cluster-scoped first, then by namespace, kind, name, rule', () => {
    const v = (namespace: string, kind: string, name: string, rule: string): Violation => ({ rule, level: 'mandatory', namespace, kind, name, message: 'm', fix: 'f' });
    expect(sortViolations([v('b', 'A', 'x', 'r'), v('', 'Namespace', 'n', 'r'), v('a', 'B', 'x', 'r'), v('a', 'A', 'y', 'r'), v('a', 'A', 'x', 's'), v('a', 'A', 'x', 'r')])).toEqual([
      v('', 'Namespace', 'n', 'r'),
      v('a', 'A', 'x', 'r'),
      v('a', 'A', 'x', 's'),
      v('a', 'A', 'y', 'r'),
      v('a', 'B', 'x', 'r'),
      v('b', 'A', 'x', 'r'),
    ]);
  });
});

describe('latestDefinitions', () => {
  test('an object defined twice counts once, the later definition winning (kubectl apply -f DIR)', () => {
    const first = fixture('autoscaler-owns-replicas');
    const second = fixture('autoscaler-owns-replicas');
    delete find(second, 'Deployment', 'hello').spec.replicas;
    expect(latestDefinitions([...first, ...second])).toEqual(second);
    expect(runRules([...first, ...second])).toEqual([]);
    expect(runRules([...second, ...first])).toEqual([expect.objectContaining({ rule: 'autoscaler-owns-replicas' })]);
  });
});

describe('scale', () => {
  // How long this takes is measured by `npm run bench:check` (docs/benchmarks.md), not here.
  test('3,000 renamed copies of a tenant (every object of each) raise no violation: no rule confuses one tenant with another', () => {
    const [ahmed] = loadTenants(TENANTS_FILE);
    const template = JSON.stringify(tenantManifests(ahmed));
    const objects: KubeObject[] = [];
    for (let i = 0; i < 3000; i++) objects.push(...(JSON.parse(template.replaceAll('ahmed', `tenant${i}x`)) as KubeObject[]));
    expect(runRules(objects)).toEqual([]);
  });
});
