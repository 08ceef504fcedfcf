import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { crdCatalog, loadCrdDirectory } from '../../cli/conformance/crd-catalog';
import { formatPath } from '../../cli/conformance/field-path';
import { ALL_CRDS, crd, HTTP_ROUTE, HTTP_SCALED_OBJECT, tempDir, VERTICAL_POD_AUTOSCALER, writeCrdDir } from './fixtures';

const httpScaledObject = (spec: Record<string, unknown>) => ({
  apiVersion: 'http.keda.sh/v1alpha1',
  kind: 'HTTPScaledObject',
  metadata: { name: 'ahmed', namespace: 'tenant-ahmed' },
  spec,
});

describe('CRD catalog', () => {
  const catalog = loadCrdDirectory(writeCrdDir());
  const hso = catalog.lookup({ group: 'http.keda.sh', version: 'v1alpha1', kind: 'HTTPScaledObject' });
  const lines = (object: Record<string, unknown>) => hso!.validate(object).problems.map((p) => `${formatPath(p.path)}: ${p.message}`);

  it('maps every served version to its schema, with the scope from the CRD', () => {
    expect(catalog.size).toBe(ALL_CRDS.length);
    expect(hso?.scope).toBe('Namespaced');
    expect(hso?.coversObjectMeta).toBe(false);
    expect(catalog.lookup({ group: 'gateway.networking.k8s.io', version: 'v1beta1', kind: 'HTTPRoute' })).toBeDefined();
    // v1beta2 is in the CRD but not served.
    expect(catalog.lookup({ group: 'autoscaling.k8s.io', version: 'v1beta2', kind: 'VerticalPodAutoscaler' })).toBeUndefined();
    expect(catalog.findKind('autoscaling.k8s.io', 'VerticalPodAutoscaler')?.servedVersions).toEqual(['v1']);
  });

  it('accepts a conforming HTTPScaledObject', () => {
    const spec = { hosts: ['a.example.com'], scaleTargetRef: { name: 'ahmed', kind: 'Deployment', apiVersion: 'apps/v1', service: 'ahmed', port: 9898 }, replicas: { min: 0, max: 3 } };
    expect(lines(httpScaledObject(spec))).toEqual([]);
  });

  it('rejects a scaleTargetRef without service, an unknown field and a wrong type', () => {
    const spec = { hosts: ['a.example.com'], scaleTargetRef: { name: 'ahmed', port: 9898, servce: 'ahmed' }, replicas: { min: '0' } };
    expect(lines(httpScaledObject(spec))).toEqual([
      'spec.scaleTargetRef.service: missing required field "service"',
      'spec.scaleTargetRef.servce: unknown field "servce" (known fields: apiVersion, kind, name, service, port, portName)',
      'spec.replicas.min: expected integer, got string "0"',
    ]);
  });

  it('rejects a custom resource without its required spec, and status fields the schema leaves open are accepted', () => {
    expect(lines({ apiVersion: 'http.keda.sh/v1alpha1', kind: 'HTTPScaledObject', metadata: { name: 'a' }, status: { anything: 1 } })).toEqual([
      'spec: missing required field "spec"',
    ]);
  });

  it('refuses two CRDs for the same kind, naming both files', () => {
    const dir = writeCrdDir([HTTP_ROUTE]);
    writeFileSync(join(dir, 'copy.yaml'), stringify(crd(HTTP_ROUTE)));
    expect(() => loadCrdDirectory(dir)).toThrow(
      `${join(dir, 'gateway.networking.k8s.io_httproutes.yaml')} (document 1): CustomResourceDefinition httproutes.gateway.networking.k8s.io: ` +
        `HTTPRoute.gateway.networking.k8s.io is already defined by ${join(dir, 'copy.yaml')}; keep one of them`,
    );
  });

  it('refuses a CRD without group/kind/scope, a served version without schema, and a directory without CRDs', () => {
    const broken = crd(VERTICAL_POD_AUTOSCALER) as any;
    delete broken.spec.scope;
    const noSchema = crd(HTTP_SCALED_OBJECT) as any;
    delete noSchema.spec.versions[0].schema;
    expect(() => crdCatalog([{ file: 'a.yaml', document: 1, line: 1, value: broken }])).toThrow(
      'a.yaml (document 1): CustomResourceDefinition verticalpodautoscalers.autoscaling.k8s.io: spec.group, spec.names.kind and spec.scope (Namespaced or Cluster) are required',
    );
    expect(() => crdCatalog([{ file: 'b.yaml', document: 2, line: 9, value: noSchema }])).toThrow(
      'b.yaml (document 2): CustomResourceDefinition httpscaledobjects.http.keda.sh: served version v1alpha1 has no schema.openAPIV3Schema',
    );
    const empty = tempDir('nocrds');
    writeFileSync(join(empty, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    expect(() => loadCrdDirectory(empty)).toThrow(`${empty}: no CustomResourceDefinition found in 1 YAML file`);
  });

  it('reads a `kubectl get crd -o yaml` List', () => {
    const dir = tempDir('crdlist');
    writeFileSync(join(dir, 'cluster.yaml'), stringify({ apiVersion: 'v1', kind: 'List', items: [crd(HTTP_SCALED_OBJECT), crd(HTTP_ROUTE)] }));
    expect(loadCrdDirectory(dir).size).toBe(2);
  });
});
