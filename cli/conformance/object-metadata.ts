/**
 * The metadata rules the API server applies to every object whatever its schema says: the name
 * format each kind requires, namespace present exactly for namespaced kinds, label and annotation
 * syntax (k8s.io/apimachinery/pkg/api/validation and pkg/util/validation).
 */
import { FieldProblem, isPlainObject } from './field-path';
import { Scope } from './schema-catalog';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const TOTAL_ANNOTATION_BYTES = 256 * 1024;

export type NameRule = 'dns1123-label' | 'dns1035-label' | 'dns1123-subdomain';

/**
 * The rule for `metadata.name` of a kind: Namespace names are RFC 1123 labels, Service names
 * RFC 1035 labels (they become DNS names), everything else (custom resources included) RFC 1123
 * subdomains.
 */
export function nameRuleFor(group: string, kind: string): NameRule {
  if (group === '' && kind === 'Namespace') return 'dns1123-label';
  if (group === '' && kind === 'Service') return 'dns1035-label';
  return 'dns1123-subdomain';
}

/** What is wrong with `name` under `rule`, or undefined. */
export function checkName(name: string, rule: NameRule): string | undefined {
  switch (rule) {
    case 'dns1123-label':
      if (name.length > 63) return `${JSON.stringify(name)} is ${name.length} characters; an RFC 1123 label has at most 63`;
      return DNS1123_LABEL.test(name)
        ? undefined
        : `${JSON.stringify(name)} is not an RFC 1123 label: lower case alphanumeric characters or '-', starting and ending with an alphanumeric character (e.g. 'my-name')`;
    case 'dns1035-label':
      if (name.length > 63) return `${JSON.stringify(name)} is ${name.length} characters; an RFC 1035 label has at most 63`;
      return DNS1035_LABEL.test(name)
        ? undefined
        : `${JSON.stringify(name)} is not an RFC 1035 label: lower case alphanumeric characters or '-', starting with a letter and ending with an alphanumeric character (e.g. 'my-name')`;
    case 'dns1123-subdomain':
      if (name.length > 253) return `${JSON.stringify(name)} is ${name.length} characters; an RFC 1123 subdomain has at most 253`;
      return DNS1123_SUBDOMAIN.test(name)
        ? undefined
        : `${JSON.stringify(name)} is not an RFC 1123 subdomain: lower case alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character (e.g. 'example.com')`;
  }
}

/** What is wrong with a label or annotation key (`[prefix/]name`), or undefined. */
export function checkQualifiedName(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return `key ${JSON.stringify(key)} has more than one '/'`;
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return `key ${JSON.stringify(key)}: the prefix must be an RFC 1123 subdomain of at most 253 characters`;
  }
  if (name.length === 0 || name.length > 63) return `key ${JSON.stringify(key)}: the name part must be 1 to 63 characters`;
  if (!QUALIFIED_NAME_PART.test(name)) {
    return `key ${JSON.stringify(key)}: the name part must consist of alphanumeric characters, '-', '_' or '.', and start and end with an alphanumeric character`;
  }
  return undefined;
}

/** What is wrong with a label value, or undefined. */
export function checkLabelValue(value: string): string | undefined {
  if (value.length > 63) return `value ${JSON.stringify(value)} is ${value.length} characters; a label value has at most 63`;
  if (!LABEL_VALUE.test(value)) {
    return `value ${JSON.stringify(value)} must be empty or consist of alphanumeric characters, '-', '_' or '.', and start and end with an alphanumeric character`;
  }
  return undefined;
}

export interface MetadataCheckOptions {
  /** A namespaced object without metadata.namespace is an error rather than a note. @default false */
  readonly requireNamespace?: boolean;
}

export interface MetadataCheck {
  /** What the API server would refuse. */
  readonly problems: FieldProblem[];
  /** What it would accept but a reader should know (a namespace the applier fills in, one it drops). */
  readonly notes: FieldProblem[];
}

/**
 * Checks `object.metadata` against the API server's rules. `scope` undefined means the scope is
 * unknown and the namespace is not checked. Type errors (labels that are not strings) are the
 * schema's business and are skipped here. A namespaced object without a namespace is not
 * refused: kubectl, kustomize, Helm and Flux set the namespace they apply to (a note, or a
 * problem with `requireNamespace`); a cluster-scoped object with one has it cleared by the API
 * server (a note; kubernetes/apiserver@v0.34.1 pkg/registry/rest/meta.go:60).
 */
export function checkMetadata(object: Record<string, unknown>, kind: string, scope: Scope | undefined, rule: NameRule, options: MetadataCheckOptions = {}): MetadataCheck {
  const problems: FieldProblem[] = [];
  const notes: FieldProblem[] = [];
  const metadata = object.metadata;
  if (metadata === undefined || metadata === null) return { problems: [{ path: ['metadata'], message: 'missing required field "metadata"' }], notes };
  if (!isPlainObject(metadata)) return { problems, notes }; // reported by the schema
  const { name, generateName, namespace, labels, annotations } = metadata;
  if (name === undefined || name === '') {
    problems.push({
      path: ['metadata', 'name'],
      message: generateName !== undefined ? 'missing required field "name" (generateName works with kubectl create, not with apply or GitOps)' : 'missing required field "name"',
    });
  } else if (typeof name === 'string') {
    const wrong = checkName(name, rule);
    if (wrong) problems.push({ path: ['metadata', 'name'], message: wrong });
  }
  if (scope === 'Namespaced' && (namespace === undefined || namespace === '')) {
    const message = `no namespace: ${kind} is namespaced, so it lands in the namespace the applier defaults to (kubectl's context, kustomize's or Flux's targetNamespace)`;
    (options.requireNamespace ? problems : notes).push({ path: ['metadata', 'namespace'], message: options.requireNamespace ? `${message}; --require-namespace asks for an explicit one` : message });
  } else if (scope === 'Cluster' && namespace !== undefined) {
    notes.push({ path: ['metadata', 'namespace'], message: `${kind} is cluster-scoped: the API server clears metadata.namespace; remove it` });
  }
  if (typeof namespace === 'string' && namespace !== '') {
    const wrong = checkName(namespace, 'dns1123-label');
    if (wrong) problems.push({ path: ['metadata', 'namespace'], message: wrong });
  }
  if (isPlainObject(labels)) {
    for (const [key, value] of Object.entries(labels)) {
      const wrong = checkQualifiedName(key) ?? (typeof value === 'string' ? checkLabelValue(value) : undefined);
      if (wrong) problems.push({ path: ['metadata', 'labels', key], message: `invalid label: ${wrong}` });
    }
  }
  if (isPlainObject(annotations)) {
    let bytes = 0;
    for (const [key, value] of Object.entries(annotations)) {
      const wrong = checkQualifiedName(key);
      if (wrong) problems.push({ path: ['metadata', 'annotations', key], message: `invalid annotation: ${wrong}` });
      bytes += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
    }
    if (bytes > TOTAL_ANNOTATION_BYTES) problems.push({ path: ['metadata', 'annotations'], message: `annotations total ${bytes} bytes; the limit is ${TOTAL_ANNOTATION_BYTES} (256 KiB)` });
  }
  return { problems, notes };
}
