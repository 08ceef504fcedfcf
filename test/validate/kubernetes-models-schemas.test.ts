import { formatPath } from '../../cli/conformance/field-path';
import { kubernetesModelsCatalog, validateStrictly } from '../../cli/conformance/kubernetes-models-schemas';

const catalog = kubernetesModelsCatalog();
const deploymentSchema = catalog.lookup({ group: 'apps', version: 'v1', kind: 'Deployment' });

function deployment(): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'tenant-a', labels: { 'app.kubernetes.io/name': 'web' }, managedFields: [{ fieldsV1: { 'f:spec': {} } }] },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'nginx:1.27',
              ports: [{ containerPort: 8080, name: 'http' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: 1 } },
              readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
            },
          ],
        },
      },
    },
  };
}

function problems(object: Record<string, unknown>): string[] {
  if (!deploymentSchema) throw new Error('kubernetes-models has no apps/v1 Deployment');
  return deploymentSchema.validate(object).problems.map((p) => `${formatPath(p.path)}: ${p.message}`);
}

describe('kubernetes-models catalog', () => {
  it('finds top-level kinds by group/version/kind, and not nested types or unknown versions', () => {
    expect(catalog.description).toMatch(/^kubernetes-models \d+\.\d+\.\d+$/);
    expect(deploymentSchema?.scope).toBe('Namespaced');
    expect(catalog.lookup({ group: '', version: 'v1', kind: 'Namespace' })?.scope).toBe('Cluster');
    expect(catalog.lookup({ group: '', version: 'v1', kind: 'Affinity' })).toBeUndefined();
    expect(catalog.lookup({ group: 'apps', version: 'v1beta9', kind: 'Deployment' })).toBeUndefined();
    expect(catalog.lookup({ group: 'gateway.networking.k8s.io', version: 'v1', kind: 'HTTPRoute' })).toBeUndefined();
  });

  it('accepts a conforming Deployment (maps, int-or-string, quantities as numbers, free-form FieldsV1)', () => {
    expect(problems(deployment())).toEqual([]);
  });

  it('rejects unknown fields at any depth, which the package validators alone would accept', () => {
    const d = deployment();
    d.spec.replicaz = 2;
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    expect(problems(d).sort()).toEqual([
      'spec.replicaz: unknown field "replicaz"',
      'spec.template.spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy"',
    ]);
  });

  it('rejects wrong types, missing required fields, bad enums and bad quantities', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].ports[0].containerPort = '8080';
    delete d.spec.selector;
    delete d.spec.template.spec.containers[0].name;
    d.spec.strategy.type = 'Bogus';
    d.spec.template.spec.containers[0].resources.requests.memory = '128MiBB';
    d.spec.template.spec.containers[0].readinessProbe.httpGet.port = true;
    expect(problems(d).sort()).toEqual(
      [
        'spec.selector: missing required field "selector"',
        'spec.strategy.type: must be one of "Recreate", "RollingUpdate"; got "Bogus"',
        'spec.template.spec.containers[0].name: missing required field "name"',
        'spec.template.spec.containers[0].ports[0].containerPort: expected integer, got string "8080"',
        'spec.template.spec.containers[0].readinessProbe.httpGet.port: expected string or integer, got boolean true',
        'spec.template.spec.containers[0].resources.requests.memory: "128MiBB" is not a valid quantity',
      ].sort(),
    );
  });

  it('validates ObjectMeta on its own, strictly', () => {
    expect(catalog.validateObjectMeta({ name: 'a', labels: { a: 'b' } }).problems).toEqual([]);
    expect(catalog.validateObjectMeta({ name: 'a', label: { a: 'b' } }).problems.map((p) => `${formatPath(p.path)}: ${p.message}`)).toEqual([
      'metadata.label: unknown field "label"',
    ]);
  });

  it('accepts the properties the package validators cannot see (description, x-kubernetes-*) only where the types declare them', () => {
    const crd = catalog.lookup({ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' })!;
    const object = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', description: 'A widget.', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
          },
        ],
      },
    };
    expect(crd.validate(object).problems).toEqual([]);
    (object.spec.versions[0] as Record<string, unknown>).descriptionn = 'typo';
    expect(crd.validate(object).problems.map((p) => formatPath(p.path))).toEqual(['spec.versions[0].descriptionn']);
    const priorityClass = catalog.lookup({ group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' })!;
    expect(priorityClass.validate({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'p' }, value: 10, description: 'x' }).problems).toEqual([]);
    const d = deployment();
    d.spec.description = 'not a Deployment field';
    expect(problems(d)).toEqual(['spec.description: unknown field "description"']);
  });

  it('validateStrictly: a key read by the validator is known; enumerated maps are open', () => {
    const validate = Object.assign((data: any) => data.a !== undefined && Object.keys(data.m).length >= 0, { errors: null });
    expect(validateStrictly(validate, { a: 1, b: 2, m: { x: { y: 1 } } }).unknown).toEqual([['b']]);
  });
});
