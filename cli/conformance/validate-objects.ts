/**
 * Conformance of Kubernetes objects: each object is matched to its schema (a CRD's first, then the
 * built-in Kubernetes schema) by apiVersion and kind and validated strictly; metadata is checked
 * against the API server's rules; an object whose kind has no schema is an error, never skipped;
 * the same object defined twice is an error.
 */
import { builtinScope, isBuiltinGroup } from './builtin-scope';
import { CrdCatalog } from './crd-catalog';
import { FieldProblem, formatPath, isPlainObject } from './field-path';
import { checkKustomization, isKustomizeConfig } from './kustomization-check';
import { checkMetadata, nameRuleFor } from './object-metadata';
import { BuiltinCatalog, formatGvk, GroupVersionKind, KindSchema, noneUnchecked, parseApiVersion, UncheckedTally } from './schema-catalog';
import { YamlObject, YamlProblem } from './yaml-documents';

export interface SchemaCatalogs {
  readonly builtins: BuiltinCatalog;
  /** @default no custom resource definitions */
  readonly crds?: CrdCatalog;
}

/** What a kustomization is checked against. */
export interface ManifestSet {
  /** Every manifest file being validated (a kustomization must list those beside and below it). @default [] */
  readonly files?: readonly string[];
  /** @default fs.existsSync */
  readonly exists?: (path: string) => boolean;
}

/** The verdict on one object. */
export interface ObjectReport {
  readonly file: string;
  readonly document: number;
  readonly line: number;
  /** Index inside a `kind: List` document. */
  readonly item?: number;
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** Where the schema came from; undefined when none was found. */
  readonly schema?: string;
  readonly problems: readonly FieldProblem[];
}

export interface ConformanceReport {
  readonly files: readonly string[];
  readonly objects: readonly ObjectReport[];
  /** Objects with at least one problem. */
  readonly failed: number;
  /** Checks the schemas asked for that were not made (CEL rules, RE2-only patterns). */
  readonly unchecked: UncheckedTally;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function findSchema(gvk: GroupVersionKind, catalogs: SchemaCatalogs): { schema?: KindSchema; problem?: string } {
  const custom = catalogs.crds?.lookup(gvk);
  if (custom) return { schema: custom };
  const crd = catalogs.crds?.findKind(gvk.group, gvk.kind);
  if (crd) {
    return {
      problem: `no schema for ${formatGvk(gvk)}: CustomResourceDefinition ${crd.name} (${crd.file}) does not serve version ${gvk.version}; it serves ${crd.servedVersions.join(', ') || 'no version'}`,
    };
  }
  const builtin = catalogs.builtins.lookup(gvk);
  if (builtin) return { schema: builtin };
  if (isBuiltinGroup(gvk.group)) {
    return { problem: `no schema for ${formatGvk(gvk)} in ${catalogs.builtins.description}: no such built-in kind at this version (check the apiVersion and kind, or pass --k8s-schema FILE for your cluster's Kubernetes version)` };
  }
  return {
    problem: `no schema for ${formatGvk(gvk)}; pass --crds DIR with its CustomResourceDefinition${catalogs.crds ? ` (none of the ${catalogs.crds.size} CRDs loaded defines ${gvk.kind}.${gvk.group})` : ''}`,
  };
}

/**
 * Validates one object. Pure but for `manifests.exists` (a kustomization's resources are looked
 * up on disk).
 */
export function validateObject(object: YamlObject, catalogs: SchemaCatalogs, manifests: ManifestSet = {}): { report: ObjectReport; unchecked: UncheckedTally } {
  const where = { file: object.file, document: object.document, line: object.line, item: object.item };
  const value = object.value;
  if (isKustomizeConfig(value)) {
    const problems = checkKustomization(object.file, value, manifests.files ?? [], manifests.exists);
    return { report: { ...where, apiVersion: String(value.apiVersion), kind: text(value.kind), schema: 'kustomize', problems }, unchecked: noneUnchecked() };
  }
  if (!isPlainObject(value)) {
    return { report: { ...where, problems: [{ path: [], message: 'not a Kubernetes object (expected a mapping with apiVersion and kind)' }] }, unchecked: noneUnchecked() };
  }
  const apiVersion = text(value.apiVersion);
  const kind = text(value.kind);
  const metadata = isPlainObject(value.metadata) ? value.metadata : {};
  const identity = { ...where, apiVersion, kind, namespace: text(metadata.namespace), name: text(metadata.name) };
  const missing: FieldProblem[] = [];
  if (!apiVersion) missing.push({ path: ['apiVersion'], message: 'missing required field "apiVersion" (a non-empty string)' });
  if (!kind) missing.push({ path: ['kind'], message: 'missing required field "kind" (a non-empty string)' });
  const groupVersion = apiVersion ? parseApiVersion(apiVersion) : undefined;
  if (apiVersion && !groupVersion) missing.push({ path: ['apiVersion'], message: `${JSON.stringify(apiVersion)} is not GROUP/VERSION or VERSION` });
  if (missing.length > 0 || !groupVersion || !kind) return { report: { ...identity, problems: missing }, unchecked: noneUnchecked() };

  const gvk: GroupVersionKind = { ...groupVersion, kind };
  const { schema, problem } = findSchema(gvk, catalogs);
  const problems: FieldProblem[] = [];
  const unchecked = noneUnchecked();
  if (schema === undefined) {
    problems.push({ path: [], message: problem ?? `no schema for ${formatGvk(gvk)}` });
  } else {
    const result = schema.validate(value);
    problems.push(...result.problems);
    unchecked.celRules += result.unchecked?.celRules ?? 0;
    unchecked.patterns += result.unchecked?.patterns ?? 0;
    // A custom resource's metadata is ObjectMeta, whatever its CRD declares.
    if (!schema.coversObjectMeta && value.metadata !== undefined) {
      problems.push(...catalogs.builtins.validateObjectMeta(value.metadata).problems);
    }
  }
  const scope = schema?.scope ?? (isBuiltinGroup(gvk.group) ? builtinScope(gvk.group, kind) : undefined);
  problems.push(...checkMetadata(value, kind, scope, nameRuleFor(gvk.group, kind)));

  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${formatPath(p.path)}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { report: { ...identity, schema: schema?.source, problems: unique }, unchecked };
}

/**
 * An incremental run: add objects file by file (so a caller never holds every parsed object at
 * once), then finish. Duplicate detection spans everything added.
 */
export interface ConformanceRun {
  add(objects: readonly YamlObject[], yamlProblems?: readonly YamlProblem[]): void;
  finish(files: readonly string[]): ConformanceReport;
}

export function startConformanceRun(catalogs: SchemaCatalogs, manifests: ManifestSet = {}): ConformanceRun {
  const reports: ObjectReport[] = [];
  const firstSeen = new Map<string, ObjectReport>();
  const unchecked = noneUnchecked();
  return {
    add(objects, yamlProblems = []) {
      for (const p of yamlProblems) reports.push({ file: p.file, document: p.document, line: p.line, problems: [{ path: [], message: p.message }] });
      for (const object of objects) {
        const result = validateObject(object, catalogs, manifests);
        unchecked.celRules += result.unchecked.celRules;
        unchecked.patterns += result.unchecked.patterns;
        let report = result.report;
        if (report.apiVersion && report.kind && report.name) {
          const group = parseApiVersion(report.apiVersion)?.group ?? '';
          const key = `${group}/${report.kind}/${report.namespace ?? ''}/${report.name}`;
          const first = firstSeen.get(key);
          if (first) {
            const what = `${report.kind} ${report.namespace ? `${report.namespace}/` : ''}${report.name}`;
            report = { ...report, problems: [...report.problems, { path: [], message: `duplicate object: ${first.file} (document ${first.document}) already defines ${what}` }] };
          } else firstSeen.set(key, report);
        }
        reports.push(report);
      }
    },
    finish(files) {
      const sorted = [...reports].sort((a, b) =>
        a.file === b.file ? a.document - b.document || (a.item ?? -1) - (b.item ?? -1) : a.file < b.file ? -1 : 1,
      );
      return { files, objects: sorted, failed: sorted.filter((r) => r.problems.length > 0).length, unchecked: { ...unchecked } };
    },
  };
}

/** Validates every object, adds YAML problems and duplicate-object problems, and counts failures. */
export function validateObjects(
  files: readonly string[],
  objects: readonly YamlObject[],
  yamlProblems: readonly YamlProblem[],
  catalogs: SchemaCatalogs,
): ConformanceReport {
  const run = startConformanceRun(catalogs, { files });
  run.add(objects, yamlProblems);
  return run.finish(files);
}
