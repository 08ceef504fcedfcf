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
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const LIST_FIELDS = ['resources', 'components', 'bases'] as const;
const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/i;

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
  for (const manifest of manifestFiles) {
    const path = relative(base, manifest);
    if (path.startsWith('..') || manifest === file || KUSTOMIZATION_FILES.includes(path)) continue;
    if (listedFiles.has(join(manifest)) || listedDirs.some((dir) => manifest.startsWith(dir))) continue;
    problems.push({ path: ['resources'], message: `does not list ${toPosix(path)}, so kustomize, Argo CD and Flux never apply it` });
  }
  return problems;
}
