/**
 * The offline engine: load manifests from a directory, run the rules, return violations in a
 * stable order. `tenantscale check` and the CrossGuard pack both go through `runRules`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
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

/** Kubernetes objects in one parsed document, `kind: List` (kubectl get -o yaml) unwrapped. */
function objectsIn(doc: unknown): KubeObject[] {
  if (doc && typeof doc === 'object' && (doc as Record<string, unknown>).kind === 'List' && Array.isArray((doc as Record<string, unknown>).items)) {
    return ((doc as Record<string, unknown>).items as unknown[]).filter(isKubeObject);
  }
  return isKubeObject(doc) ? [doc] : [];
}

function manifestFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
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

/**
 * Every Kubernetes object in *.yaml, *.yml and *.json files under `dir`, recursively, multi-document
 * YAML and `kind: List` included, in path order. Documents that are not Kubernetes objects (Helm
 * values, package.json) are skipped; a file that is not valid YAML or JSON is an error naming it.
 */
export function loadManifestDir(dir: string): KubeObject[] {
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    throw new PolicyInputError(`${dir}: no such directory`);
  }
  const files = stat.isDirectory() ? manifestFiles(dir) : [dir];
  const objects: KubeObject[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const docs = parseAllDocuments(text, { prettyErrors: true });
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      if (doc.errors.length > 0) {
        const e = doc.errors[0];
        const where = e.linePos?.[0] ? `:${e.linePos[0].line}` : '';
        throw new PolicyInputError(`${relative(process.cwd(), file) || file}${where}: not valid YAML: ${e.message.split('\n')[0]}`);
      }
      objects.push(...objectsIn(doc.toJS({ maxAliasCount: 1000 })));
    }
  }
  return objects;
}
