import { formatPath } from '../../cli/conformance/field-path';
import { checkLabelValue, checkMetadata, checkName, checkQualifiedName, nameRuleFor } from '../../cli/conformance/object-metadata';

const lines = (object: Record<string, unknown>, kind: string, scope: 'Namespaced' | 'Cluster' | undefined, group = '', requireNamespace = false) =>
  checkMetadata(object, kind, scope, nameRuleFor(group, kind), { requireNamespace }).problems.map((p) => `${formatPath(p.path)}: ${p.message}`);
const notes = (object: Record<string, unknown>, kind: string, scope: 'Namespaced' | 'Cluster' | undefined) =>
  checkMetadata(object, kind, scope, nameRuleFor('', kind)).notes.map((p) => `${formatPath(p.path)}: ${p.message}`);

describe('object metadata rules', () => {
  it('picks the name rule per kind', () => {
    expect(nameRuleFor('', 'Namespace')).toBe('dns1123-label');
    expect(nameRuleFor('', 'Service')).toBe('dns1035-label');
    expect(nameRuleFor('apps', 'Deployment')).toBe('dns1123-subdomain');
    expect(nameRuleFor('http.keda.sh', 'HTTPScaledObject')).toBe('dns1123-subdomain');
  });

  it('checks names as labels, RFC 1035 labels and subdomains', () => {
    expect(checkName('tenant-ahmed', 'dns1123-label')).toBeUndefined();
    expect(checkName('tenant.ahmed', 'dns1123-label')).toMatch(/is not an RFC 1123 label/);
    expect(checkName('a'.repeat(64), 'dns1123-label')).toBe(`"${'a'.repeat(64)}" is 64 characters; an RFC 1123 label has at most 63`);
    expect(checkName('1svc', 'dns1035-label')).toMatch(/is not an RFC 1035 label/);
    expect(checkName('svc1', 'dns1035-label')).toBeUndefined();
    expect(checkName('tenant.ahmed', 'dns1123-subdomain')).toBeUndefined();
    expect(checkName('Tenant_Ahmed', 'dns1123-subdomain')).toMatch(/is not an RFC 1123 subdomain/);
  });

  it('checks label and annotation keys and label values', () => {
    expect(checkQualifiedName('app.kubernetes.io/name')).toBeUndefined();
    expect(checkQualifiedName('a/b/c')).toBe('key "a/b/c" has more than one \'/\'');
    expect(checkQualifiedName('Bad_Prefix/x')).toMatch(/prefix must be an RFC 1123 subdomain/);
    expect(checkQualifiedName('-x')).toMatch(/the name part must consist of/);
    expect(checkLabelValue('')).toBeUndefined();
    expect(checkLabelValue('v1.2_3')).toBeUndefined();
    expect(checkLabelValue('has space')).toMatch(/must be empty or consist of/);
  });

  it('notes a namespaced object without namespace (the applier sets one) and a cluster-scoped one with one (the API server clears it)', () => {
    expect(lines({ metadata: { name: 'a', namespace: 'tenant-a' } }, 'Deployment', 'Namespaced', 'apps')).toEqual([]);
    expect(notes({ metadata: { name: 'a', namespace: 'tenant-a' } }, 'Deployment', 'Namespaced')).toEqual([]);
    expect(lines({ metadata: { name: 'a' } }, 'Deployment', 'Namespaced', 'apps')).toEqual([]);
    expect(notes({ metadata: { name: 'a' } }, 'Deployment', 'Namespaced')).toEqual([
      "metadata.namespace: no namespace: Deployment is namespaced, so it lands in the namespace the applier defaults to (kubectl's context, kustomize's or Flux's targetNamespace)",
    ]);
    expect(lines({ metadata: { name: 'tenant-a', namespace: 'x' } }, 'Namespace', 'Cluster')).toEqual([]);
    expect(notes({ metadata: { name: 'tenant-a', namespace: 'x' } }, 'Namespace', 'Cluster')).toEqual([
      'metadata.namespace: Namespace is cluster-scoped: the API server clears metadata.namespace; remove it',
    ]);
    expect(lines({ metadata: { name: 'a' } }, 'Widget', undefined, 'example.com')).toEqual([]);
  });

  it('with requireNamespace, a namespaced object without namespace is a problem', () => {
    expect(lines({ metadata: { name: 'a' } }, 'Deployment', 'Namespaced', 'apps', true)).toEqual([
      "metadata.namespace: no namespace: Deployment is namespaced, so it lands in the namespace the applier defaults to (kubectl's context, kustomize's or Flux's targetNamespace); --require-namespace asks for an explicit one",
    ]);
    expect(lines({ metadata: { name: 'a', namespace: 'n' } }, 'Deployment', 'Namespaced', 'apps', true)).toEqual([]);
  });

  it('reports a missing name (and says why generateName does not do), bad labels and bad namespaces', () => {
    expect(lines({}, 'ConfigMap', 'Namespaced')).toEqual(['metadata: missing required field "metadata"']);
    expect(lines({ metadata: { generateName: 'a-', namespace: 'Bad_NS', labels: { 'x/y/z': 'v', ok: 'not ok!' } } }, 'ConfigMap', 'Namespaced')).toEqual([
      'metadata.name: missing required field "name" (generateName works with kubectl create, not with apply or GitOps)',
      'metadata.namespace: "Bad_NS" is not an RFC 1123 label: lower case alphanumeric characters or \'-\', starting and ending with an alphanumeric character (e.g. \'my-name\')',
      'metadata.labels["x/y/z"]: invalid label: key "x/y/z" has more than one \'/\'',
      'metadata.labels.ok: invalid label: value "not ok!" must be empty or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and start and end with an alphanumeric character',
    ]);
  });
});
