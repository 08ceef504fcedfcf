import { formatPath } from '../../cli/conformance/field-path';
import { loadOpenApiV2File, openApiV2Catalog, SchemaSourceError } from '../../cli/conformance/kubernetes-openapi';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './fixtures';

/** A cut-down Kubernetes OpenAPI v2 document in the shape `kubectl get --raw /openapi/v2` serves. */
const document = {
  swagger: '2.0',
  paths: {
    '/api/v1/namespaces/{namespace}/configmaps/{name}': { get: { 'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'ConfigMap' } } },
    '/api/v1/configmaps': { get: { 'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'ConfigMap' } } },
    '/api/v1/persistentvolumes/{name}': { get: { 'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'PersistentVolume' } } },
  },
  definitions: {
    'io.k8s.api.core.v1.ConfigMap': {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
        data: { type: 'object', additionalProperties: { type: 'string' } },
        immutable: { type: 'boolean' },
      },
      'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'ConfigMap' }],
    },
    'io.k8s.api.core.v1.PersistentVolume': {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
        spec: {
          type: 'object',
          properties: {
            capacity: { type: 'object', additionalProperties: { $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' } },
            port: { $ref: '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString' },
          },
        },
      },
      'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'PersistentVolume' }],
    },
    'io.k8s.api.core.v1.Secret': {
      type: 'object',
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' } },
      'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Secret' }],
    },
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
      type: 'object',
      properties: { name: { type: 'string' }, namespace: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } },
    },
    'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string' },
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: 'string', format: 'int-or-string' },
  },
};

const catalog = openApiV2Catalog(document, 'openapi-v2.json');
const lines = (kind: string, object: Record<string, unknown>) =>
  catalog.lookup({ group: '', version: 'v1', kind })!.validate(object).problems.map((p) => `${formatPath(p.path)}: ${p.message}`);

describe('Kubernetes OpenAPI v2 catalog', () => {
  it('matches definitions by x-kubernetes-group-version-kind and takes scopes from the paths', () => {
    expect(catalog.lookup({ group: '', version: 'v1', kind: 'ConfigMap' })?.scope).toBe('Namespaced');
    expect(catalog.lookup({ group: '', version: 'v1', kind: 'PersistentVolume' })?.scope).toBe('Cluster');
    // Not in the paths: the built-in table decides.
    expect(catalog.lookup({ group: '', version: 'v1', kind: 'Secret' })?.scope).toBe('Namespaced');
    expect(catalog.lookup({ group: '', version: 'v2', kind: 'ConfigMap' })).toBeUndefined();
  });

  it('accepts a conforming object', () => {
    expect(lines('ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'b' }, data: { k: 'v' } })).toEqual([]);
    expect(lines('PersistentVolume', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'a' }, spec: { capacity: { storage: '1Gi', cpu: 2 }, port: 80 } })).toEqual([]);
  });

  it('closes objects with properties, and checks int-or-string and quantities', () => {
    expect(lines('ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', nam: 'x' }, dataa: {}, immutable: 'yes' })).toEqual([
      'metadata.nam: unknown field "nam" (known fields: name, namespace, labels)',
      'dataa: unknown field "dataa" (known fields: apiVersion, kind, metadata, data, immutable)',
      'immutable: expected boolean, got string "yes"',
    ]);
    expect(lines('PersistentVolume', { spec: { capacity: { storage: '1Gii' }, port: false } })).toEqual([
      'spec.capacity.storage: "1Gii" is not a Kubernetes quantity (e.g. 500m, 128Mi, 2, 1e3)',
      'spec.port: expected an integer or a string, got boolean false',
    ]);
  });

  it('validates ObjectMeta for custom resources', () => {
    expect(catalog.validateObjectMeta({ name: 'a', labels: { x: 1 } }).problems.map((p) => `${formatPath(p.path)}: ${p.message}`)).toEqual([
      'metadata.labels.x: expected string, got integer 1',
    ]);
  });

  it('rejects a document without definitions or without any group-version-kind, naming the file', () => {
    expect(() => openApiV2Catalog({ swagger: '2.0' }, 'x.json')).toThrow('x.json: not a Kubernetes OpenAPI v2 document: there is no top-level "definitions" object');
    expect(() => openApiV2Catalog({ definitions: { a: { type: 'string' } } }, 'y.json')).toThrow(
      'y.json: no definition carries "x-kubernetes-group-version-kind"; is this a Kubernetes OpenAPI v2 document?',
    );
  });

  it('loads a bare {definitions} file and reports unreadable or invalid JSON', () => {
    const dir = tempDir('openapi');
    const good = join(dir, 'defs.json');
    writeFileSync(good, JSON.stringify({ definitions: document.definitions }));
    expect(loadOpenApiV2File(good).lookup({ group: '', version: 'v1', kind: 'PersistentVolume' })?.scope).toBe('Cluster');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"definitions": ');
    expect(() => loadOpenApiV2File(bad)).toThrow(SchemaSourceError);
    expect(() => loadOpenApiV2File(bad)).toThrow(`${bad}: not valid JSON`);
    expect(() => loadOpenApiV2File(join(dir, 'missing.json'))).toThrow(`${join(dir, 'missing.json')}: cannot read the Kubernetes schema`);
  });
});
