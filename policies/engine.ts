/**
 * The offline engine: load manifests from a directory, run the rules, return violations in a
 * stable order. `tenantscale check` and the CrossGuard pack both go through `runRules`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Document, LineCounter, parseAllDocuments } from 'yaml';
import { namespaceOf, objectKey } from './model';
import { MANIFEST_RULES, RESOURCE_RULES } from './rules';
import type { KubeObject, RegisteredResource, RuleOptions, Violation } from './types';

export type { Level, Violation, KubeObject, RegisteredResource, ManifestRule, ResourceRule, RuleInfo, RuleOptions } from './types';
export { MANIFEST_RULES, RESOURCE_RULES, ADDED_RULES } from './rules';

export interface RunOptions extends RuleOptions {
  /**
   * Names of the rules to run; an unknown name is an error.
   * @default every manifest rule
   */
  readonly rules?: string[];
}

/** Raised for a rule name that does not exist or a manifest file that cannot be read. */
export class PolicyInputError extends Error {}

/** Order violations by namespace, kind, name, rule and message, so output is stable across runs. */
export function sortViolations(violations: readonly Violation[]): Violation[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...violations].sort(
    (a, b) => cmp(a.namespace, b.namespace) || cmp(a.kind, b.kind) || cmp(a.name, b.name) || cmp(a.rule, b.rule) || cmp(a.message, b.message),
  );
}

function selected<T extends { name: string }>(all: readonly T[], names: string[] | undefined, known: readonly string[]): T[] {
  if (names === undefined) return [...all];
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new PolicyInputError(`unknown rule${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return all.filter((r) => names.includes(r.name));
}

const ALL_NAMES = [...MANIFEST_RULES, ...RESOURCE_RULES].map((r) => r.name);

/**
 * The objects as the cluster would hold them: one per kind, namespace and name. When a directory
 * defines an object twice, the later definition wins, as it would with `kubectl apply -f DIR`.
 */
export function latestDefinitions(objects: readonly KubeObject[]): KubeObject[] {
  const last = new Map<string, number>();
  objects.forEach((o, i) => last.set(objectKey(o.kind, namespaceOf(o), o.metadata.name), i));
  return objects.filter((o, i) => last.get(objectKey(o.kind, namespaceOf(o), o.metadata.name)) === i);
}

/** Runs the manifest rules over all objects at once; deterministic order. */
export function runRules(objects: readonly KubeObject[], options: RunOptions = {}): Violation[] {
  const usable = latestDefinitions(objects.filter(isKubeObject));
  const rules = selected(MANIFEST_RULES, options.rules, ALL_NAMES);
  return sortViolations(rules.flatMap((rule) => rule.check(usable, options)));
}

/** Runs the Pulumi-only rules over registered resources; deterministic order. */
export function runResourceRules(resources: readonly RegisteredResource[], options: { rules?: string[] } = {}): Violation[] {
  const rules = selected(RESOURCE_RULES, options.rules, ALL_NAMES);
  return sortViolations(rules.flatMap((rule) => rule.check(resources)));
}

/** Whether a parsed document looks like a Kubernetes object (apiVersion, kind and metadata.name strings). */
export function isKubeObject(value: unknown): value is KubeObject {
  if (!value || typeof value !== 'object') return false;
  const o = value as Record<string, any>;
  return typeof o.apiVersion === 'string' && typeof o.kind === 'string' && !!o.metadata && typeof o.metadata.name === 'string';
}

/** Something `check` could not read or could not check, in one file. */
export interface ManifestProblem {
  /** The file, relative to the working directory. */
  readonly file: string;
  /** 1-based line of the document or item, when known. */
  readonly line?: number;
  /** `error`: unreadable or invalid, counted as a failure; `note`: valid but not checked. */
  readonly level: 'error' | 'note';
  readonly message: string;
}

/** What `loadManifests` found: the objects, and a problem for everything it had to leave out. */
export interface LoadedManifests {
  readonly objects: KubeObject[];
  readonly problems: ManifestProblem[];
}

/** `42 (a number)`, `null`, `{…} (an object)`: how a non-string value reads in a message. */
function describeValue(value: unknown): string {
  if (value === undefined) return 'no value';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${JSON.stringify(value)} (a ${typeof value})`;
}

/**
 * API groups of configuration files that tools read and the cluster never sees (kustomize's
 * `kustomization.yaml` and its builtin transformer configs, kind, kubeadm, kubelet, skaffold):
 * skipped like Helm values, whatever their metadata.
 */
const TOOL_CONFIG_GROUPS = new Set([
  'kustomize.config.k8s.io', 'builtin', 'config.kubernetes.io', 'kind.x-k8s.io', 'kubeadm.k8s.io',
  'kubelet.config.k8s.io', 'kubeproxy.config.k8s.io', 'apiserver.config.k8s.io', 'skaffold',
]);

/**
 * Sorts one parsed document value into an object, a problem or nothing (not a Kubernetes object:
 * Helm values, package.json). A document with string apiVersion and kind is an object; one whose
 * metadata.name is not a non-empty string is reported rather than dropped, since no rule could see it.
 */
function classify(value: unknown, where: string): { object?: KubeObject; problem?: Omit<ManifestProblem, 'file' | 'line'> } {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const o = value as Record<string, any>;
  const hasApiVersion = 'apiVersion' in o;
  const hasKind = 'kind' in o;
  if (!hasApiVersion && !hasKind) return {};
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') {
    if (!(hasApiVersion && hasKind)) return {};
    return { problem: { level: 'error', message: `${where}apiVersion is ${describeValue(o.apiVersion)} and kind ${describeValue(o.kind)}: both must be strings; not checked` } };
  }
  const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.lastIndexOf('/')) : o.apiVersion;
  if (TOOL_CONFIG_GROUPS.has(group)) return {};
  const what = `${where}${o.kind} (${o.apiVersion})`;
  const metadata = o.metadata;
  const name = metadata && typeof metadata === 'object' ? metadata.name : undefined;
  if (typeof name === 'string' && name !== '') return { object: o as KubeObject };
  if (name === undefined && metadata && typeof metadata.generateName === 'string') {
    return { problem: { level: 'note', message: `${what} has generateName ${JSON.stringify(metadata.generateName)} and no name (for kubectl create): not checked, the rules match objects by name` } };
  }
  const got =
    metadata === undefined ? 'no metadata' : name === undefined ? 'no metadata.name' : name === '' ? 'an empty metadata.name' : `metadata.name ${describeValue(name)}`;
  return { problem: { level: 'error', message: `${what} has ${got}: the API server requires a name string; not checked` } };
}

/** The objects and problems of one parsed document, `kind: List` (kubectl get -o yaml) unwrapped. */
function readDocument(doc: Document, file: string, lines: LineCounter, problems: ManifestProblem[]): KubeObject[] {
  const lineOf = (node: unknown) => {
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    return range ? lines.linePos(range[0]).line : undefined;
  };
  const docLine = lineOf(doc.contents);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    problems.push({ file, line: docLine, level: 'error', message: `not readable: ${(err as Error).message.split('\n')[0]}` });
    return [];
  }
  const items = value && typeof value === 'object' && (value as Record<string, unknown>).kind === 'List' ? (value as Record<string, unknown>).items : undefined;
  const entries = Array.isArray(items) ? items.map((item, i) => ({ item, where: `items[${i}]: `, line: lineOf(doc.getIn(['items', i], true)) })) : [{ item: value, where: '', line: docLine }];
  const objects: KubeObject[] = [];
  for (const { item, where, line } of entries) {
    const { object, problem } = classify(item, where);
    if (object) objects.push(object);
    if (problem) problems.push({ file, line, ...problem });
  }
  return objects;
}

function manifestFiles(dir: string, problems: ManifestProblem[]): string[] {
  const files: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (err) {
      problems.push({ file: shownPath(d), level: 'error', message: `cannot read this directory: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(path);
      } else if (/\.(ya?ml|json)$/i.test(entry.name)) {
        files.push(path);
      }
    }
  };
  walk(dir);
  return files;
}

const shownPath = (file: string) => relative(process.cwd(), file) || file;

/**
 * Every Kubernetes object in *.yaml, *.yml and *.json files under `dir`, recursively, multi-document
 * YAML and `kind: List` included, in path order. Documents that are not Kubernetes objects (Helm
 * values, package.json) are skipped. Everything else that cannot be checked is a problem naming
 * the file (and line): an unreadable file or directory, invalid YAML (per document: the file's
 * other documents are still read), a document whose metadata.name is not a string. Only a
 * missing `dir` throws.
 */
export function loadManifests(dir: string): LoadedManifests {
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    throw new PolicyInputError(`${dir}: no such directory`);
  }
  const problems: ManifestProblem[] = [];
  const files = stat.isDirectory() ? manifestFiles(dir, problems) : [dir];
  const objects: KubeObject[] = [];
  for (const path of files) {
    const file = shownPath(path);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      problems.push({ file, level: 'error', message: `cannot read this file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      continue;
    }
    const lines = new LineCounter();
    for (const doc of parseAllDocuments(text, { prettyErrors: true, lineCounter: lines }) as unknown as Document[]) {
      if (doc.errors.length > 0) {
        const e = doc.errors[0];
        problems.push({ file, line: e.linePos?.[0]?.line, level: 'error', message: `not valid YAML: ${e.message.split('\n')[0]}` });
        continue;
      }
      objects.push(...readDocument(doc, file, lines, problems));
    }
  }
  return { objects, problems };
}

/** `file:line: message`. */
export function formatProblem(p: ManifestProblem): string {
  return `${p.file}${p.line === undefined ? '' : `:${p.line}`}: ${p.message}`;
}

/** loadManifests for callers that want every file valid: the first error problem is thrown. */
export function loadManifestDir(dir: string): KubeObject[] {
  const { objects, problems } = loadManifests(dir);
  const error = problems.find((p) => p.level === 'error');
  if (error) throw new PolicyInputError(formatProblem(error));
  return objects;
}
