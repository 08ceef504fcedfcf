/**
 * `validate` judges as the API server does: structural defaults before oneOf, CEL rules evaluated
 * (Gateway listener and HTTPRoute filter rules written after the upstream ones), line-wrapped
 * base64, kustomize input skipped. Each case fails before the fix and passes after, with one
 * object that the API server refuses next to one it accepts. The CRDs are hand-written fixtures.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { budgetSummary, evaluateRules } from '../../cli/conformance/cel-rules';
import { crdCatalog } from '../../cli/conformance/crd-catalog';
import { formatPath } from '../../cli/conformance/field-path';
import { checkFormat } from '../../cli/conformance/formats';
import { kubernetesModelsCatalog } from '../../cli/conformance/kubernetes-models-schemas';
import { OpenApiSchema } from '../../cli/conformance/openapi-schema';
import { applyDefaults, asAdmitted } from '../../cli/conformance/structural-defaults';
import { validateObject } from '../../cli/conformance/validate-objects';
import { runValidate } from '../../cli/commands/validate';
import { Output } from '../../cli/output';
import pc from 'picocolors';
import { crd, CrdFixture, tempDir, writeCrdDir, writeManifests } from './fixtures';

const str = (extra: OpenApiSchema = {}): OpenApiSchema => ({ type: 'string', ...extra });
const obj = (properties: Record<string, OpenApiSchema>, extra: OpenApiSchema = {}): OpenApiSchema => ({ type: 'object', properties, ...extra });
const root = (spec: OpenApiSchema): OpenApiSchema => obj({ apiVersion: str(), kind: str(), metadata: { type: 'object' }, spec }, { required: ['spec'] });

// Gateway: addresses[].type defaults to IPAddress; a oneOf tells IP addresses from the rest; a
// listener rule ties hostname to the protocol; a transition rule (oldSelf) is skipped on create.
const GATEWAY: CrdFixture = {
  group: 'gateway.networking.k8s.io',
  kind: 'Gateway',
  plural: 'gateways',
  versions: [
    {
      name: 'v1',
      schema: root(
        obj(
          {
            gatewayClassName: str({ 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'immutable' }] }),
            addresses: {
              type: 'array',
              maxItems: 16,
              items: obj(
                { type: str({ default: 'IPAddress' }), value: str({ maxLength: 253 }) },
                {
                  oneOf: [{ properties: { type: { enum: ['IPAddress'] }, value: { anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] } } }, { properties: { type: { not: { enum: ['IPAddress'] } } } }],
                },
              ),
            },
            listeners: {
              type: 'array',
              maxItems: 64,
              items: obj({ name: str(), hostname: str(), port: { type: 'integer', format: 'int32' }, protocol: str() }, { required: ['name', 'port', 'protocol'] }),
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['name'],
              'x-kubernetes-validations': [
                { message: 'hostname must not be specified for protocols [TCP, UDP]', rule: "self.all(l, l.protocol in ['TCP', 'UDP'] ? !has(l.hostname) || l.hostname == '' : true)" },
                { message: 'Listener name must be unique within the Gateway', rule: 'self.all(l1, self.exists_one(l2, l1.name == l2.name))' },
              ],
            },
          },
          { required: ['gatewayClassName', 'listeners'] },
        ),
      ),
    },
  ],
};

// HTTPRoute: a rule's filters may not mix RequestRedirect with URLRewrite; a path match's value
// must start with '/' (fieldPath and reason shape the report); messageExpression names the value.
const HTTP_ROUTE: CrdFixture = {
  group: 'gateway.networking.k8s.io',
  kind: 'HTTPRoute',
  plural: 'httproutes',
  versions: [
    {
      name: 'v1',
      schema: root(
        obj({
          hostnames: { type: 'array', items: str(), maxItems: 16 },
          rules: {
            type: 'array',
            maxItems: 16,
            items: obj({
              matches: {
                type: 'array',
                maxItems: 64,
                items: obj(
                  { path: obj({ type: str({ default: 'PathPrefix' }), value: str({ default: '/', maxLength: 1024 }) }) },
                  {
                    'x-kubernetes-validations': [
                      {
                        rule: "!has(self.path) || self.path.value.startsWith('/')",
                        messageExpression: "'path ' + self.path.value + ' must be an absolute path'",
                        fieldPath: '.path.value',
                        reason: 'FieldValueInvalid',
                      },
                    ],
                  },
                ),
              },
              filters: {
                type: 'array',
                maxItems: 16,
                items: obj({ type: str(), requestRedirect: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, urlRewrite: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }),
                'x-kubernetes-validations': [
                  {
                    message: 'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both',
                    rule: "!(self.exists(f, f.type == 'RequestRedirect') && self.exists(f, f.type == 'URLRewrite'))",
                  },
                  { message: 'RequestRedirect filter cannot be repeated', rule: "self.filter(f, f.type == 'RequestRedirect').size() <= 1", reason: 'FieldValueDuplicate' },
                  { rule: "self.all(f, f.type.split('.').size() <= 2 && f.type.upperAscii() != 'X')", message: 'uses the strings extension' },
                  { rule: "self.all(f, isURL(f.type))", message: 'a Kubernetes library function this evaluator does not have' },
                ],
              },
            }),
          },
        }),
      ),
    },
  ],
};

const catalogs = { builtins: kubernetesModelsCatalog(), crds: crdCatalog([GATEWAY, HTTP_ROUTE].map((f, i) => ({ file: 'crds.yaml', document: i + 1, line: 1, value: crd(f) }))) };
const check = (value: Record<string, unknown>) => validateObject({ file: 'x.yaml', document: 1, line: 1, value }, catalogs).report;
const problems = (value: Record<string, unknown>) => check(value).problems.map((p) => `${formatPath(p.path)}: ${p.message}`);

const gateway = (spec: Record<string, unknown>) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'n' }, spec: { gatewayClassName: 'eg', ...spec } });
const route = (rules: unknown[]) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'n' }, spec: { rules } });
const http = { name: 'http', port: 80, protocol: 'HTTP', hostname: 'a.example.com' };

describe('structural defaults before validation', () => {
  it('applies a property default before oneOf: an address without type is an IPAddress', () => {
    expect(problems(gateway({ listeners: [http], addresses: [{ value: '1.2.3.4' }, { value: '2001:db8::1' }, { type: 'Hostname', value: 'example.com' }] }))).toEqual([]);
    expect(problems(gateway({ listeners: [http], addresses: [{ value: 'not-an-ip' }] }))).toEqual([
      'spec.addresses[0]: must satisfy exactly one of: (constraints on type, value: must satisfy at least one of: (a sub-schema: "not-an-ip" is not an IPv4 address) | (a sub-schema: "not-an-ip" is not an IPv6 address)) | (constraints on type: must not satisfy a sub-schema)',
    ]);
  });

  it('follows the API server: defaults into properties, additionalProperties and items; non-nullable nulls with a default are defaulted, without one dropped', () => {
    const schema: OpenApiSchema = obj({
      a: str({ default: 'x' }),
      b: str(),
      m: { type: 'object', additionalProperties: obj({ k: { type: 'integer', default: 1 } }) },
      l: { type: 'array', items: obj({ p: str({ default: 'q' }) }) },
      n: { ...str({ default: 'd' }) },
    });
    expect(asAdmitted({ b: null, m: { one: {} }, l: [{}, { p: 'set' }], n: null }, schema)).toEqual({ a: 'x', m: { one: { k: 1 } }, l: [{ p: 'q' }, { p: 'set' }], n: 'd' });
    const value = { a: 'kept' };
    applyDefaults(value, schema);
    expect(value).toEqual({ a: 'kept', n: 'd' });
  });
});

describe('CEL rules (x-kubernetes-validations), evaluated', () => {
  it('Gateway listeners: hostname on TCP is refused, on HTTP accepted; duplicate names break the uniqueness rule', () => {
    expect(problems(gateway({ listeners: [http, { name: 'tcp', port: 9000, protocol: 'TCP' }] }))).toEqual([]);
    expect(problems(gateway({ listeners: [http, { name: 'tcp', port: 9000, protocol: 'TCP', hostname: 'a.example.com' }] }))).toEqual([
      'spec.listeners: Invalid value: hostname must not be specified for protocols [TCP, UDP]',
    ]);    expect(problems(gateway({ listeners: [http, { ...http, port: 8080 }] }))).toEqual([
      'spec.listeners: Invalid value: Listener name must be unique within the Gateway',
      'spec.listeners[1]: duplicate entry: [1] has the same name as [0] (name="http")',
    ]);
  });

  it('loads the rules from CRD files: `tenantscale validate --crds DIR` refuses the bad HTTPRoute and passes the good one', () => {
    const crdDir = writeCrdDir([GATEWAY, HTTP_ROUTE]);
    const dir = tempDir('cel-command');
    const good = route([{ filters: [{ type: 'URLRewrite' }] }]);
    const bad = { ...route([{ filters: [{ type: 'RequestRedirect' }, { type: 'URLRewrite' }] }]), metadata: { name: 'bad', namespace: 'n' } };
    const file = writeManifests(dir, 'routes.yaml', [good, bad]);
    const lines: string[] = [];
    const out: Output = { info: (l) => lines.push(l), warn: (l) => lines.push(l), error: (l) => lines.push(l), color: pc.createColors(false) };
    expect(runValidate({ dir, crds: crdDir }, out, () => undefined)).toBe(1);
    expect(lines.filter((l) => !l.includes('isURL'))).toEqual([
      `${file}: HTTPRoute n/bad: spec.rules[0].filters: Invalid value: May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both`,
      `schemas: kubernetes-models 4.5.1; 2 CRDs from ${crdDir}`,
      "  and the project's own schema of FluxInstance (cli/conformance/flux-instance-crd.ts: no pinned upstream CRD)",
      'CEL rules: 6 evaluated, 2 not evaluated (listed above), 0 transition rules skipped (they apply to updates only)',
      '✗ validated 2 objects in 1 file: 1 failed',
    ]);
  });

  it('skips transition rules (oldSelf) on create, as the API server does, and counts them', () => {
    const report = check(gateway({ listeners: [http] }));
    expect(report.problems).toEqual([]);
    const result = catalogs.crds.lookup({ group: 'gateway.networking.k8s.io', version: 'v1', kind: 'Gateway' })!.validate(gateway({ listeners: [http] }));
    expect(result.unchecked).toEqual({ celRules: 0, celEvaluated: 2, celTransitions: 1, patterns: 0 });
  });

  it('HTTPRoute filters: RequestRedirect with URLRewrite is refused, either alone accepted; a repeated redirect is a duplicate', () => {
    const rules = (...types: string[]) => [{ filters: types.map((type) => ({ type })) }];
    const ok = check(route(rules('RequestRedirect')));
    expect(ok.problems).toEqual([]);
    expect(problems(route(rules('RequestRedirect', 'URLRewrite')))).toEqual([
      'spec.rules[0].filters: Invalid value: May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both',
    ]);
    expect(problems(route(rules('RequestRedirect', 'RequestRedirect')))).toEqual(['spec.rules[0].filters: Duplicate value: RequestRedirect filter cannot be repeated']);
  });

  it('uses messageExpression and fieldPath; the defaulted path value "/" passes', () => {
    expect(problems(route([{ matches: [{ path: { type: 'PathPrefix', value: '/api' } }, { path: {} }] }]))).toEqual([]);
    expect(problems(route([{ matches: [{ path: { value: 'api' } }] }]))).toEqual(['spec.rules[0].matches[0].path.value: Invalid value: path api must be an absolute path']);
  });

  it('lists the rules it cannot evaluate, with why, instead of passing them silently', () => {
    const report = check(route([{ filters: [{ type: 'RequestRedirect' }] }]));
    expect(report.unevaluated).toEqual([
      { path: ['spec', 'rules', 0, 'filters'], rule: 'self.all(f, isURL(f.type))', why: 'the evaluator cannot run it: unbound function: isURL' },
    ]);
  });

  it('bounds the cost: a rule whose worst case over a huge list exceeds the bound is not evaluated, and says so', () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({ name: `l${i}`, port: 80, protocol: 'HTTP' }));
    const report = check(gateway({ listeners: many }));
    expect(report.problems).toContainEqual({ path: ['spec', 'listeners'], message: 'has 2000 items, more than the maximum 64' });
    expect(report.unevaluated).toEqual([
      { path: ['spec', 'listeners'], rule: 'self.all(l1, self.exists_one(l2, l1.name == l2.name))', why: expect.stringMatching(/^its worst-case cost over this value \(\d+\) exceeds the per-rule bound 1000000$/) },
    ]);
  });
});

describe('the object-wide CEL budget', () => {
  it('once spent, stops evaluating and reports one entry for the rest, where it ran out', () => {
    const rules = [{ rule: 'self.size() > 0' }, { rule: 'self.all(x, x != "")' }, { rule: 'true' }];
    const budget = { remaining: 12 };
    const outcome = evaluateRules(rules, ['a', 'b', 'c'], { type: 'array', items: str() }, ['spec', 'l'], budget, false);
    expect(outcome.evaluated).toBe(1);
    expect(outcome.problems).toEqual([]);
    expect(budgetSummary(budget)).toEqual({
      path: ['spec', 'l'],
      rule: '(2 rule evaluations from here on)',
      why: "the object's CEL cost budget (10000000, the API server's RuntimeCELCostBudget) is spent by worst-case estimates; an object this costly may be refused by the API server for running out of budget",
    });
    expect(budgetSummary({ remaining: 12 })).toBeUndefined();
  });
});

describe('object size limits', () => {
  const cm = (bytes: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'n' }, data: { blob: 'x'.repeat(bytes) } });

  it('over 1.5 MiB: etcd refuses the write; over 3 MiB: the API server refuses the body unread; under: fine', () => {
    expect(problems(cm(1024 * 1024))).toEqual([]);
    expect(problems(cm(1.6 * 1024 * 1024))).toEqual([
      expect.stringMatching(/^\(object\): the object is \d+ bytes as JSON; etcd refuses writes over 1572864 bytes \(1\.5 MiB, its default --max-request-bytes\)/),
    ]);
    expect(problems({ ...cm(3.1 * 1024 * 1024), dataa: 1 })).toEqual([
      expect.stringMatching(/^\(object\): the object is \d+ bytes as JSON; the API server refuses request bodies over 3145728 bytes \(3 MiB\) before validating them$/),
    ]);
  });
});

describe('base64 (format byte) as Go decodes it', () => {
  it('accepts line breaks (base64 -w 76 output), refuses other whitespace and bad padding', () => {
    expect(checkFormat('byte', 'AAAB\nAAAB\r\n/gA=')).toBeUndefined();
    expect(checkFormat('byte', 'AAAB AAAB')).toBe('"AAAB AAAB" is not valid base64 (format "byte"; only line breaks may separate its characters)');
    expect(checkFormat('byte', 'AAA')).toBeDefined();
  });

  it('a ConfigMap with line-wrapped binaryData validates', () => {
    const cm = (data: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'geo', namespace: 'n' }, binaryData: { 'db.mmdb': data } });
    expect(problems(cm('AAABAAAB/gAA\nAgAAAoUA\n'))).toEqual([]);
    expect(problems(cm('AAAB\tAAAB'))).toHaveLength(1);
  });
});

describe('kustomize input is skipped, not reported as unknown kinds', () => {
  const colorless = pc.createColors(false);
  const run = (dir: string) => {
    const lines: string[] = [];
    const out: Output = { info: (l) => lines.push(l), warn: (l) => lines.push(l), error: (l) => lines.push(l), color: colorless };
    return { code: runValidate({ dir, bundledCrds: false }, out, () => undefined), lines };
  };

  it('patches, transformer configurations and builtin plugin configs named by a kustomization; local-config objects', () => {
    const dir = tempDir('kustomize-input');
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - cm.yaml\npatches:\n  - path: patch.yaml\nconfigurations:\n  - transformerconfig.yaml\ntransformers:\n  - labels.yaml\n',
    );
    writeManifests(dir, 'cm.yaml', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' } }]);
    // A partial Deployment: no selector, no template. As a resource it would fail.
    writeManifests(dir, 'patch.yaml', [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 2 } }]);
    writeFileSync(join(dir, 'transformerconfig.yaml'), 'namePrefix:\n  - kind: ScaledObject\n    path: spec/scaleTargetRef/name\n');
    writeManifests(dir, 'labels.yaml', [{ apiVersion: 'builtin', kind: 'LabelTransformer', metadata: { name: 'l' }, labels: { a: 'b' }, fieldSpecs: [] }]);
    const result = run(dir);
    expect(result.lines.filter((l) => !l.includes('note: skipped'))).toEqual([
      'schemas: kubernetes-models 4.5.1; no CRDs (pass --crds DIR, or drop --no-bundled-crds)',
      '✓ validated 5 objects in 5 files: 0 failed, 3 skipped (kustomize input)',
    ]);
    expect(result.code).toBe(0);
    expect(result.lines).toContain(`${join(dir, 'patch.yaml')}: Deployment d: (object): note: skipped: a kustomize patch (named by a kustomization; kustomize reads it, the API server never sees it as is)`);

    // The same partial Deployment listed as a resource is validated, and fails.
    writeFileSync(join(dir, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - cm.yaml\n  - patch.yaml\nconfigurations:\n  - transformerconfig.yaml\ntransformers:\n  - labels.yaml\n');
    const failing = run(dir);
    expect(failing.code).toBe(1);
    expect(failing.lines).toContain(`${join(dir, 'patch.yaml')}: Deployment d: spec.selector: missing required field "selector"`);
  });

  it('a builtin plugin config found without a kustomization is still recognized', () => {
    const dir = tempDir('builtin');
    writeManifests(dir, 'prefix.yaml', [{ apiVersion: 'builtin', kind: 'PrefixSuffixTransformer', metadata: { name: 'p' }, prefix: 'x-' }]);
    const result = run(dir);
    expect(result.code).toBe(0);
    expect(result.lines).toContain(`${join(dir, 'prefix.yaml')}: PrefixSuffixTransformer p: (object): note: skipped: a kustomize builtin plugin configuration (apiVersion: builtin)`);
  });
});
