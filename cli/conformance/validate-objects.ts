/**
 * Conformance of Kubernetes objects: each object is matched to its schema (a CRD's first, then the
 * built-in Kubernetes schema) by apiVersion and kind and validated strictly, as the API server
 * would take it on create; metadata is checked against the API server's rules.
 *
 * Verdicts: a problem is something the API server (or kustomize build) would refuse; a note is
 * accepted but worth knowing (no namespace: the applier sets one). An object of a kind no schema
 * or CRD describes is "not checked", reported apart from failures; a kind of a built-in group
 * missing from the schema, or a version a loaded CRD does not serve, is a problem (the API server
 * has no such resource). kustomize patches, plugin configurations and local configuration are
 * skipped with a note: kustomize reads them, the API server never sees them. The same object twice
 * is a problem in one file or under one kustomization (kustomize refuses it), a note across
 * unrelated files (each applied on its own, the later wins).
 */
import { sep } from 'node:path';
import { builtinScope, isBuiltinGroup } from './builtin-scope';
import { CrdCatalog } from './crd-catalog';
import { FieldProblem, formatPath, isPlainObject } from './field-path';
import type { UnevaluatedRule } from './cel-rules';
import { checkKustomization, isKustomizeConfig, KustomizeRole, kustomizeLocalConfig } from './kustomization-check';
import { checkMetadata, nameRuleFor } from './object-metadata';
import { addUnchecked, BuiltinCatalog, formatGvk, GroupVersionKind, KindSchema, noneUnchecked, parseApiVersion, UncheckedTally } from './schema-catalog';
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
  /** Files a kustomization names as patches, configurations, …: skipped. @default none */
  readonly kustomizeRoles?: ReadonlyMap<string, KustomizeRole>;
  /** Directories holding a kustomization (duplicates under one are refused). @default none */
  readonly kustomizationDirs?: readonly string[];
}

export interface ValidationPolicy {
  /** A namespaced object without metadata.namespace is a problem, not a note. @default false */
  readonly requireNamespace?: boolean;
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
  /** Accepted, but worth knowing. @default none */
  readonly notes?: readonly FieldProblem[];
  /** Set when the object was not checked: why (no schema for its kind). */
  readonly notChecked?: string;
  /** Set when the object is kustomize input rather than an API object: what it is. */
  readonly skipped?: string;
  /** CEL rules that could not be evaluated on this object, and why. @default none */
  readonly unevaluated?: readonly UnevaluatedRule[];
}

export interface ConformanceReport {
  readonly files: readonly string[];
  readonly objects: readonly ObjectReport[];
  /** Objects with at least one problem. */
  readonly failed: number;
  /** Objects of a kind without a schema (not checked, not failed). */
  readonly notChecked: number;
  /** Checks the schemas asked for that were not made (CEL rules, RE2-only patterns). */
  readonly unchecked: UncheckedTally;
}

// The API server reads at most 3 MiB of a request body by default (kubernetes/apiserver@v0.34.1
// pkg/server/config.go:465 MaxRequestBodyBytes), and etcd refuses requests over its default
// --max-request-bytes of 1.5 MiB.
const MAX_REQUEST_BYTES = 3 * 1024 * 1024;
const ETCD_MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;

/** The object's size as the JSON the API server receives, or a problem when it is too large. */
function sizeProblem(value: unknown): { problem?: FieldProblem; refusedUnread: boolean } {
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
  if (bytes > MAX_REQUEST_BYTES) {
    return { problem: { path: [], message: `the object is ${bytes} bytes as JSON; the API server refuses request bodies over ${MAX_REQUEST_BYTES} bytes (3 MiB) before validating them` }, refusedUnread: true };
  }
  if (bytes > ETCD_MAX_REQUEST_BYTES) {
    return { problem: { path: [], message: `the object is ${bytes} bytes as JSON; etcd refuses writes over ${ETCD_MAX_REQUEST_BYTES} bytes (1.5 MiB, its default --max-request-bytes): "etcdserver: request is too large"` }, refusedUnread: false };
  }
  return { refusedUnread: false };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function findSchema(gvk: GroupVersionKind, catalogs: SchemaCatalogs): { schema?: KindSchema; problem?: string; unknown?: string } {
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
    unknown: `not checked: no schema for ${formatGvk(gvk)}; pass --crds DIR with its CustomResourceDefinition${catalogs.crds ? ` (none of the ${catalogs.crds.size} CRDs loaded defines ${gvk.kind}.${gvk.group})` : ''}`,
  };
}

/**
 * Validates one object. Pure but for `manifests.exists` (a kustomization's resources are looked
 * up on disk).
 */
export function validateObject(object: YamlObject, catalogs: SchemaCatalogs, manifests: ManifestSet = {}, policy: ValidationPolicy = {}): { report: ObjectReport; unchecked: UncheckedTally } {
  const where = { file: object.file, document: object.document, line: object.line, item: object.item };
  const value = object.value;
  const role = manifests.kustomizeRoles?.get(object.file);
  const localConfig = role === undefined && !isKustomizeConfig(value) ? kustomizeLocalConfig(value) : undefined;
  if (role !== undefined || localConfig !== undefined) {
    const skipped = role !== undefined ? `a kustomize ${role} (named by a kustomization; kustomize reads it, the API server never sees it as is)` : localConfig!;
    const v = isPlainObject(value) ? value : {};
    const meta = isPlainObject(v.metadata) ? v.metadata : {};
    return {
      report: { ...where, apiVersion: text(v.apiVersion), kind: text(v.kind), name: text(meta.name), namespace: text(meta.namespace), skipped, problems: [], notes: [{ path: [], message: `skipped: ${skipped}` }] },
      unchecked: noneUnchecked(),
    };
  }
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
  const { schema, problem, unknown } = findSchema(gvk, catalogs);
  const problems: FieldProblem[] = [];
  const unchecked = noneUnchecked();
  let unevaluated: readonly UnevaluatedRule[] = [];
  if (schema === undefined && unknown !== undefined) {
    return { report: { ...identity, problems: [], notChecked: unknown, notes: [{ path: [], message: unknown }] }, unchecked };
  }
  const size = sizeProblem(value);
  if (size.problem) problems.push(size.problem);
  if (size.refusedUnread) return { report: { ...identity, schema: schema?.source, problems, notes: [] }, unchecked };
  if (schema === undefined) {
    problems.push({ path: [], message: problem ?? `no schema for ${formatGvk(gvk)}` });
  } else {
    // An object refused for its size is not worth its CEL cost: its rules are left unevaluated.
    const result = schema.validate(value, { cel: size.problem === undefined });
    problems.push(...result.problems);
    addUnchecked(unchecked, result.unchecked);
    unevaluated = result.unevaluated ?? [];
    // A custom resource's metadata is ObjectMeta, whatever its CRD declares.
    if (!schema.coversObjectMeta && value.metadata !== undefined) {
      problems.push(...catalogs.builtins.validateObjectMeta(value.metadata).problems);
    }
  }
  const scope = schema?.scope ?? (isBuiltinGroup(gvk.group) ? builtinScope(gvk.group, kind) : undefined);
  const meta = checkMetadata(value, kind, scope, nameRuleFor(gvk.group, kind), { requireNamespace: policy.requireNamespace });
  problems.push(...meta.problems);

  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${formatPath(p.path)}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { report: { ...identity, schema: schema?.source, problems: unique, notes: meta.notes, unevaluated }, unchecked };
}

/**
 * An incremental run: add objects file by file (so a caller never holds every parsed object at
 * once), then finish. Duplicate detection spans everything added.
 */
export interface ConformanceRun {
  add(objects: readonly YamlObject[], yamlProblems?: readonly YamlProblem[]): void;
  finish(files: readonly string[]): ConformanceReport;
}

/** True when one kustomization directory holds both files (kustomize build would see both). */
function underOneKustomization(a: string, b: string, dirs: readonly string[]): boolean {
  return dirs.some((dir) => {
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    return a.startsWith(prefix) && b.startsWith(prefix);
  });
}

export function startConformanceRun(catalogs: SchemaCatalogs, manifests: ManifestSet = {}, policy: ValidationPolicy = {}): ConformanceRun {
  const reports: ObjectReport[] = [];
  const firstSeen = new Map<string, ObjectReport>();
  const unchecked = noneUnchecked();
  const kustomizationDirs = manifests.kustomizationDirs ?? [];
  return {
    add(objects, yamlProblems = []) {
      for (const p of yamlProblems) reports.push({ file: p.file, document: p.document, line: p.line, problems: [{ path: [], message: p.message }] });
      for (const object of objects) {
        const result = validateObject(object, catalogs, manifests, policy);
        addUnchecked(unchecked, result.unchecked);
        let report = result.report;
        if (report.apiVersion && report.kind && report.name && report.skipped === undefined && report.schema !== 'kustomize') {
          const group = parseApiVersion(report.apiVersion)?.group ?? '';
          const key = `${group}/${report.kind}/${report.namespace ?? ''}/${report.name}`;
          const first = firstSeen.get(key);
          if (first) {
            const what = `${report.kind} ${report.namespace ? `${report.namespace}/` : ''}${report.name}`;
            const refused = first.file === report.file || underOneKustomization(first.file, report.file, kustomizationDirs);
            const finding = refused
              ? { path: [], message: `duplicate object: ${first.file} (document ${first.document}) already defines ${what}; kustomize build refuses this and an apply keeps only the later one` }
              : { path: [], message: `also defined in ${first.file} (document ${first.document}): applying both files, the later replaces the earlier` };
            report = refused ? { ...report, problems: [...report.problems, finding] } : { ...report, notes: [...(report.notes ?? []), finding] };
          } else firstSeen.set(key, report);
        }
        reports.push(report);
      }
    },
    finish(files) {
      const sorted = [...reports].sort((a, b) =>
        a.file === b.file ? a.document - b.document || (a.item ?? -1) - (b.item ?? -1) : a.file < b.file ? -1 : 1,
      );
      return {
        files,
        objects: sorted,
        failed: sorted.filter((r) => r.problems.length > 0).length,
        notChecked: sorted.filter((r) => r.notChecked !== undefined).length,
        unchecked: { ...unchecked },
      };
    },
  };
}

/** Validates every object, adds YAML problems and duplicate-object problems, and counts failures. */
export function validateObjects(
  files: readonly string[],
  objects: readonly YamlObject[],
  yamlProblems: readonly YamlProblem[],
  catalogs: SchemaCatalogs,
  policy: ValidationPolicy = {},
): ConformanceReport {
  const run = startConformanceRun(catalogs, { files }, policy);
  run.add(objects, yamlProblems);
  return run.finish(files);
}
