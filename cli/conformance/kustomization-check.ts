/**
 * kustomization.yaml (and kustomize Components) found among the manifests, e.g. the one
 * `tenantscale synth --kustomize` writes for Argo CD and Flux. It is a kustomize build file, not
 * an object sent to the API server, so it has no API schema; what can go wrong with it is the
 * wiring: a listed resource that does not exist (the build fails), or a manifest next to it that
 * it does not list (Argo CD and Flux silently never apply it).
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { FieldProblem, isPlainObject } from './field-path';

const KUSTOMIZE_API = 'kustomize.config.k8s.io/';
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const LIST_FIELDS = ['resources', 'components', 'bases'] as const;
const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/i;

/** What a file a kustomization names (other than as a resource) is to kustomize. */
export type KustomizeRole = 'patch' | 'configuration' | 'transformer' | 'generator' | 'validator' | 'replacement' | 'openapi schema' | 'CRD';

/**
 * The files a kustomization names besides resources: patches (kustomize merges them into
 * resources), transformer configurations, plugin configurations (transformers, generators,
 * validators), replacements, an OpenAPI schema and CRDs (sigs.k8s.io/kustomize api/types
 * kustomization.go field names). Inline entries (YAML text rather than a path) are skipped.
 */
export function kustomizeReferences(value: Record<string, unknown>): { field: string; index: number; entry: string; role: KustomizeRole }[] {
  const out: { field: string; index: number; entry: string; role: KustomizeRole }[] = [];
  const isPath = (v: unknown): v is string => typeof v === 'string' && v !== '' && !v.includes('\n');
  const list = (field: string, role: KustomizeRole, pick: (item: unknown) => unknown = (item) => item) => {
    const entries = value[field];
    if (!Array.isArray(entries)) return;
    entries.forEach((item, index) => {
      const entry = pick(item);
      if (isPath(entry) && !REMOTE.test(entry)) out.push({ field, index, entry, role });
    });
  };
  const pathOf = (item: unknown) => (isPlainObject(item) ? item.path : undefined);
  list('patches', 'patch', pathOf);
  list('patchesJson6902', 'patch', pathOf);
  list('patchesStrategicMerge', 'patch');
  list('configurations', 'configuration');
  list('transformers', 'transformer');
  list('generators', 'generator');
  list('validators', 'validator');
  list('replacements', 'replacement', pathOf);
  list('crds', 'CRD');
  if (isPlainObject(value.openapi) && isPath(value.openapi.path)) out.push({ field: 'openapi', index: -1, entry: value.openapi.path, role: 'openapi schema' });
  return out;
}

/**
 * kustomize plugin configurations and local configuration, which kustomize reads and never
 * sends to the API server: builtin plugins (`apiVersion: builtin`, e.g. LabelTransformer,
 * PrefixSuffixTransformer), KRM function configs (`config.kubernetes.io/function`), objects
 * marked `config.kubernetes.io/local-config: "true"`, and `config.kubernetes.io` kinds
 * (ResourceList). Returns what it is, or undefined for anything else.
 */
export function kustomizeLocalConfig(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
  const annotations = isPlainObject(value.metadata) && isPlainObject(value.metadata.annotations) ? value.metadata.annotations : {};
  if (apiVersion === 'builtin') return 'a kustomize builtin plugin configuration (apiVersion: builtin)';
  if (apiVersion.startsWith('config.kubernetes.io/')) return `a kustomize/KRM configuration (${apiVersion})`;
  if (annotations['config.kubernetes.io/function'] !== undefined) return 'a KRM function configuration (annotation config.kubernetes.io/function)';
  if (annotations['config.kubernetes.io/local-config'] === 'true') return 'local configuration (annotation config.kubernetes.io/local-config: "true"; kustomize leaves it out of its output)';
  return undefined;
}

/** True for a kustomize build file (Kustomization, Component), which is not an API object. */
export function isKustomizeConfig(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && typeof value.apiVersion === 'string' && value.apiVersion.startsWith(KUSTOMIZE_API);
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/**
 * Checks a kustomization's `resources`/`components`/`bases`: every local entry exists, and every
 * manifest in `manifestFiles` under the kustomization's directory is listed (directly, or through
 * a listed directory). `exists` is injectable for tests.
 */
export function checkKustomization(
  file: string,
  value: Record<string, unknown>,
  manifestFiles: readonly string[],
  exists: (path: string) => boolean = existsSync,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const base = dirname(file);
  const listedFiles = new Set<string>();
  const listedDirs: string[] = [];
  for (const field of LIST_FIELDS) {
    const entries = value[field];
    if (entries === undefined || entries === null) continue;
    if (!Array.isArray(entries)) {
      problems.push({ path: [field], message: `expected a list of paths, got ${typeof entries}` });
      continue;
    }
    entries.forEach((entry, i) => {
      if (typeof entry !== 'string' || entry === '') {
        problems.push({ path: [field, i], message: 'expected a non-empty path or URL' });
        return;
      }
      if (REMOTE.test(entry)) return;
      const target = join(base, entry);
      if (!exists(target)) problems.push({ path: [field, i], message: `${JSON.stringify(entry)} does not exist (relative to ${base}); kustomize build fails` });
      else if (/\.ya?ml$/i.test(entry)) listedFiles.add(target);
      else listedDirs.push(target + sep);
    });
  }
  for (const ref of kustomizeReferences(value)) {
    const target = join(base, ref.entry);
    const at = ref.index >= 0 ? [ref.field, ref.index] : [ref.field];
    if (!exists(target)) problems.push({ path: at, message: `${JSON.stringify(ref.entry)} (a ${ref.role}) does not exist (relative to ${base}); kustomize build fails` });
    else listedFiles.add(target);
  }
  for (const manifest of manifestFiles) {
    const path = relative(base, manifest);
    if (path.startsWith('..') || manifest === file || KUSTOMIZATION_FILES.includes(path)) continue;
    if (listedFiles.has(join(manifest)) || listedDirs.some((dir) => manifest.startsWith(dir))) continue;
    problems.push({ path: ['resources'], message: `does not list ${toPosix(path)}, so kustomize, Argo CD and Flux never apply it` });
  }
  return problems;
}
