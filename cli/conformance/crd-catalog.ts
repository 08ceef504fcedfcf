/**
 * Custom resource schemas from a directory of CustomResourceDefinition YAML (upstream release
 * files, `kubectl get crd -o yaml` from a cluster, a Helm chart's crds/ folder). Each served
 * version's `openAPIV3Schema` is the schema of group/version/kind.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isPlainObject } from './field-path';
import { OpenApiSchema, validateAgainstSchema } from './openapi-schema';
import { SchemaSourceError } from './kubernetes-openapi';
import { asAdmitted } from './structural-defaults';
import { GroupVersionKind, gvkKey, KindSchema, Scope } from './schema-catalog';
import { findYamlFiles, parseYamlObjects, YamlObject } from './yaml-documents';
import { PROJECT_CRDS } from './flux-instance-crd';

/** What is known about a kind's CRD, for messages about versions it does not serve. */
export interface CrdKind {
  readonly group: string;
  readonly kind: string;
  readonly file: string;
  readonly name: string;
  readonly servedVersions: readonly string[];
}

export interface CrdCatalog {
  /** How many CRDs were loaded. */
  readonly size: number;
  /** The files they came from. */
  readonly files: readonly string[];
  lookup(gvk: GroupVersionKind): KindSchema | undefined;
  /** The CRD for a group and kind, whatever the version. */
  findKind(group: string, kind: string): CrdKind | undefined;
  /** Kinds whose schema is the project's own (cli/conformance/flux-instance-crd.ts), not the directory's. @default none */
  readonly projectKinds?: readonly string[];
}

interface LoadedVersion {
  readonly name: string;
  readonly served: boolean;
  readonly schema?: OpenApiSchema;
}

const CRD_API_VERSIONS = ['apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v1beta1'];

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads the versions of a v1 CRD (or a legacy v1beta1 one, whose schema may sit at spec.validation). */
function versionsOf(spec: Record<string, unknown>): LoadedVersion[] {
  const shared = isPlainObject(spec.validation) && isPlainObject(spec.validation.openAPIV3Schema) ? (spec.validation.openAPIV3Schema as OpenApiSchema) : undefined;
  if (Array.isArray(spec.versions) && spec.versions.length > 0) {
    return spec.versions.filter(isPlainObject).map((v) => ({
      name: String(v.name),
      served: v.served === true,
      schema: isPlainObject(v.schema) && isPlainObject(v.schema.openAPIV3Schema) ? (v.schema.openAPIV3Schema as OpenApiSchema) : shared,
    }));
  }
  const single = str(spec.version);
  return single ? [{ name: single, served: true, schema: shared }] : [];
}

/**
 * Builds the catalog from objects read from CRD files. Objects that are not CRDs are ignored.
 * Throws a SchemaSourceError listing every malformed or duplicate CRD.
 */
export function crdCatalog(objects: readonly YamlObject[]): CrdCatalog {
  const schemas = new Map<string, KindSchema>();
  const kinds = new Map<string, CrdKind>();
  const errors: string[] = [];
  const files = new Set<string>();
  for (const object of objects) {
    const crd = object.value;
    if (!isPlainObject(crd) || crd.kind !== 'CustomResourceDefinition' || !CRD_API_VERSIONS.includes(String(crd.apiVersion))) continue;
    const where = `${object.file} (document ${object.document})`;
    const name = isPlainObject(crd.metadata) ? (str(crd.metadata.name) ?? '(unnamed)') : '(unnamed)';
    const spec = isPlainObject(crd.spec) ? crd.spec : {};
    const group = str(spec.group);
    const kind = isPlainObject(spec.names) ? str(spec.names.kind) : undefined;
    const scope: Scope | undefined = spec.scope === 'Cluster' ? 'Cluster' : spec.scope === 'Namespaced' ? 'Namespaced' : undefined;
    if (!group || !kind || !scope) {
      errors.push(`${where}: CustomResourceDefinition ${name}: spec.group, spec.names.kind and spec.scope (Namespaced or Cluster) are required`);
      continue;
    }
    const groupKind = `${group}/${kind}`;
    const previous = kinds.get(groupKind);
    if (previous) {
      errors.push(`${where}: CustomResourceDefinition ${name}: ${kind}.${group} is already defined by ${previous.file}; keep one of them`);
      continue;
    }
    const versions = versionsOf(spec);
    if (versions.length === 0) errors.push(`${where}: CustomResourceDefinition ${name}: spec.versions is empty`);
    for (const version of versions.filter((v) => v.served)) {
      if (!version.schema) {
        errors.push(`${where}: CustomResourceDefinition ${name}: served version ${version.name} has no schema.openAPIV3Schema`);
        continue;
      }
      const versionSchema = version.schema;
      const gvk = { group, version: version.name, kind };
      schemas.set(gvkKey(gvk), {
        gvk,
        source: `CustomResourceDefinition ${name} in ${object.file}`,
        scope,
        coversObjectMeta: false,
        // Non-nullable nulls pruned and defaults applied first, as the API server does.
        validate: (value, options) => validateAgainstSchema(asAdmitted(value, versionSchema), versionSchema, { dialect: 'crd', openRootMetadata: true, cel: options?.cel ?? true }),
      });
    }
    kinds.set(groupKind, { group, kind, file: object.file, name, servedVersions: versions.filter((v) => v.served).map((v) => v.name) });
    files.add(object.file);
  }
  if (errors.length > 0) throw new SchemaSourceError(errors.join('\n'));
  return {
    size: kinds.size,
    files: [...files],
    lookup: (gvk) => schemas.get(gvkKey(gvk)),
    findKind: (group, kind) => kinds.get(`${group}/${kind}`),
  };
}

/** Loads every CRD under a directory (recursively) or from one file. */
export function loadCrdDirectory(path: string): CrdCatalog {
  let files: string[];
  try {
    files = findYamlFiles(path);
  } catch (err) {
    throw new SchemaSourceError(`${path}: cannot read the CRD directory: ${(err as Error).message}`);
  }
  const objects: YamlObject[] = [];
  const errors: string[] = [];
  for (const file of files) {
    const parsed = parseYamlObjects(file, readFileSync(file, 'utf8'));
    objects.push(...parsed.objects);
    errors.push(...parsed.problems.map((p) => `${p.file}:${p.line}: ${p.message}`));
  }
  if (errors.length > 0) throw new SchemaSourceError(errors.join('\n'));
  const fromDir = crdCatalog(objects);
  if (fromDir.size === 0) throw new SchemaSourceError(`${path}: no CustomResourceDefinition found in ${files.length} YAML file${files.length === 1 ? '' : 's'}`);
  // The project's own schemas (the FluxInstance) for kinds the directory does not define.
  const own = PROJECT_CRDS.filter((o) => {
    const spec = (o.value as { spec: { group: string; names: { kind: string } } }).spec;
    return fromDir.findKind(spec.group, spec.names.kind) === undefined;
  });
  if (own.length === 0) return fromDir;
  // Counted apart: `size` and `files` stay the directory's.
  const catalog = crdCatalog([...objects, ...own]);
  return { ...catalog, size: fromDir.size, files: fromDir.files, projectKinds: own.map((o) => (o.value as { spec: { names: { kind: string } } }).spec.names.kind) };
}

/** Where the bundled CRD schemas are: beside this file in the sources, or in cli/conformance from build/. */
function bundlePath(): string {
  const beside = join(__dirname, 'crd-schemas.json');
  return existsSync(beside) ? beside : resolve(__dirname, '..', '..', '..', 'cli', 'conformance', 'crd-schemas.json');
}

/**
 * The CRD schemas shipped with tenantscale (cli/conformance/crd-schemas.json): every CRD
 * scripts/import-crds.sh imports, generated from the pinned upstream files by
 * scripts/crd-schemas.js (descriptions removed) and committed, so an offline `validate` checks
 * every object tenantscale writes without --crds.
 */
export function bundledCrdCatalog(): CrdCatalog {
  const file = bundlePath();
  let crds: unknown[];
  try {
    crds = (JSON.parse(readFileSync(file, 'utf8')) as { crds: unknown[] }).crds;
  } catch (err) {
    throw new SchemaSourceError(`${file}: cannot read the bundled CRD schemas (${(err as Error).message}); regenerate: node scripts/crd-schemas.js --crds DIR`);
  }
  return crdCatalog(crds.map((value, i) => ({ file: `crd-schemas.json#${(value as { source?: { file?: string } }).source?.file ?? i}`, document: i + 1, line: 1, value })) as YamlObject[]);
}

/** How validate describes the bundled CRD schemas. */
export const BUNDLED_CRDS = 'the bundled CRD schemas (cli/conformance/crd-schemas.json, from the pinned CRDs)';
