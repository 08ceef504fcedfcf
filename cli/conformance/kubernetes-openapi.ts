/**
 * Built-in kind schemas from a Kubernetes OpenAPI v2 document: either the full document a cluster
 * serves (`kubectl get --raw /openapi/v2`) or a bare `{"definitions": {...}}` such as the cdk8s
 * `_definitions.json`. Definitions are matched to objects by `x-kubernetes-group-version-kind`.
 */
import { readFileSync } from 'node:fs';
import { builtinScope } from './builtin-scope';
import { FieldProblem, isPlainObject } from './field-path';
import { OpenApiSchema, validateAgainstSchema } from './openapi-schema';
import { BuiltinCatalog, GroupVersionKind, gvkKey, KindSchema, Scope, SchemaCheck } from './schema-catalog';

const DEFINITION_REF = '#/definitions/';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
/**
 * A Quantity is a string (`500m`, `128Mi`) or a bare number (`cpu: 2`); the served document says
 * only `type: string`, so its definition is replaced by what the API server accepts.
 */
const QUANTITY_SCHEMA: OpenApiSchema = { oneOf: [{ type: 'string', format: 'quantity' }, { type: 'number' }] };
const OPERATIONS = ['get', 'put', 'post', 'delete', 'patch'];

/** Thrown when a schema file cannot be used; the message names the file and what is wrong. */
export class SchemaSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaSourceError';
  }
}

function gvksOf(value: unknown): GroupVersionKind[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (g): g is GroupVersionKind => isPlainObject(g) && typeof g.group === 'string' && typeof g.version === 'string' && typeof g.kind === 'string',
  );
}

/** Scopes by GVK from the document's paths (empty for a bare `definitions` file). */
function scopesFromPaths(paths: unknown): Map<string, Scope> {
  const namespaced = new Set<string>();
  const seen = new Set<string>();
  if (!isPlainObject(paths)) return new Map();
  for (const [route, item] of Object.entries(paths)) {
    if (!isPlainObject(item)) continue;
    for (const op of OPERATIONS) {
      const operation = item[op];
      if (!isPlainObject(operation)) continue;
      for (const gvk of gvksOf([operation['x-kubernetes-group-version-kind']])) {
        const key = gvkKey(gvk);
        seen.add(key);
        if (route.includes('/namespaces/{namespace}/')) namespaced.add(key);
      }
    }
  }
  return new Map([...seen].map((key) => [key, namespaced.has(key) ? 'Namespaced' : 'Cluster'] as const));
}

/** Builds the catalog from a parsed OpenAPI v2 document; `source` names it in messages. */
export function openApiV2Catalog(document: unknown, source: string): BuiltinCatalog {
  if (!isPlainObject(document) || !isPlainObject(document.definitions)) {
    throw new SchemaSourceError(`${source}: not a Kubernetes OpenAPI v2 document: there is no top-level "definitions" object`);
  }
  const definitions = { ...(document.definitions as Record<string, OpenApiSchema>) };
  if (definitions[QUANTITY] !== undefined) definitions[QUANTITY] = QUANTITY_SCHEMA;
  const byGvk = new Map<string, string>();
  for (const [name, definition] of Object.entries(definitions)) {
    const gvks = gvksOf((definition as Record<string, unknown>)['x-kubernetes-group-version-kind']);
    // A definition naming several kinds (DeleteOptions, WatchEvent) is not a resource of its own.
    if (gvks.length !== 1) continue;
    byGvk.set(gvkKey(gvks[0]), name);
  }
  if (byGvk.size === 0) {
    throw new SchemaSourceError(`${source}: no definition carries "x-kubernetes-group-version-kind"; is this a Kubernetes OpenAPI v2 document?`);
  }
  const scopes = scopesFromPaths(document.paths);
  const resolveRef = (ref: string): OpenApiSchema | undefined =>
    ref.startsWith(DEFINITION_REF) ? definitions[ref.slice(DEFINITION_REF.length)] : undefined;
  const check = (value: unknown, schema: OpenApiSchema): SchemaCheck => validateAgainstSchema(value, schema, { dialect: 'builtin', resolveRef });

  const cache = new Map<string, KindSchema | undefined>();
  return {
    description: source,
    lookup(gvk) {
      const key = gvkKey(gvk);
      if (cache.has(key)) return cache.get(key);
      const name = byGvk.get(key);
      const schema: KindSchema | undefined =
        name === undefined
          ? undefined
          : {
              gvk,
              source: `${source} (${name})`,
              scope: scopes.get(key) ?? builtinScope(gvk.group, gvk.kind),
              coversObjectMeta: true,
              validate: (object) => check(object, definitions[name]),
            };
      cache.set(key, schema);
      return schema;
    },
    validateObjectMeta(metadata) {
      const meta = definitions[OBJECT_META];
      if (meta === undefined) return { problems: [{ path: ['metadata'], message: `schema error: ${source} has no ${OBJECT_META} definition` }] };
      const result = check(metadata, meta);
      return { problems: result.problems.map((p): FieldProblem => ({ path: ['metadata', ...p.path], message: p.message })) };
    },
  };
}

/** Reads and parses an OpenAPI v2 JSON file into a catalog. */
export function loadOpenApiV2File(file: string): BuiltinCatalog {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SchemaSourceError(`${file}: cannot read the Kubernetes schema: ${(err as Error).message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw new SchemaSourceError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  return openApiV2Catalog(document, file);
}
