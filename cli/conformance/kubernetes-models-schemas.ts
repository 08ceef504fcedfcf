/**
 * Built-in kind schemas from the kubernetes-models npm package (its bundled, precompiled ajv
 * validators), used when no `--k8s-schema FILE` is given.
 *
 * Those validators check types, required fields, enums and formats but, like the OpenAPI
 * definitions they were generated from, never reject unknown fields. Strictness is added here: the
 * object is handed to the validator behind a Proxy that records which properties the validator
 * reads at each object. A validator generated from a schema with `properties` reads every
 * declared property (`data.replicas !== undefined && ...`); one generated from a map
 * (`additionalProperties`) enumerates the keys. So a key present in the data that the validator
 * neither read nor enumerated is a field the schema does not declare. An object the validator
 * never touched (free-form RawExtension/FieldsV1, or one already rejected for its type) is left
 * alone.
 *
 * One gap in the package: its generator drops schema keywords named `description` and
 * `x-kubernetes-*`, which also drops the *properties* with those names (PriorityClass.description,
 * the description and x-kubernetes-* fields of a CRD's JSONSchemaProps), so no validator reads
 * them. Those are found per kind by comparing the package's type declarations (.d.ts) with its
 * validators, and accepted unjudged for that kind only.
 *
 * kubernetes-models is pinned to 4.x (4.5.1: Kubernetes 1.33.0 schemas, plus the removed API
 * versions of older releases), the last line that supports Node 20: 5.x requires Node ≥ 22 and
 * ships only ES modules. 4.x ships CommonJS (`*.js`) beside ES modules (`*.mjs`); the CommonJS
 * files are loaded with Node's own `require`, fetched through `process.getBuiltinModule` so that
 * jest's module registry does not transform or re-evaluate them.
 */
import { readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { builtinScope } from './builtin-scope';
import { checkFormat } from './formats';
import { describeValue, FieldPath, FieldProblem, isPlainObject, PathSegment, pointerToPath, valueAt } from './field-path';
import { BuiltinCatalog, GroupVersionKind, gvkKey, KindSchema, SchemaCheck } from './schema-catalog';
import { SchemaSourceError } from './kubernetes-openapi';

/** One error of an ajv-compiled validator. */
export interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
}

/** An ajv-compiled validator: returns validity and leaves the errors on itself. */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}

/** Resolved from kubernetes-models' directory, through the exports map of its apimachinery dependency. */
const OBJECT_META_SCHEMA = '@kubernetes-models/apimachinery/_schemas/IoK8sApimachineryPkgApisMetaV1ObjectMeta';

function nodeRequire(from: string = __filename): NodeJS.Require {
  const real = process.getBuiltinModule?.('node:module') ?? nodeModule;
  return real.createRequire(from);
}

interface Access {
  readonly read: Set<string>;
  enumerated: boolean;
}

/**
 * Runs `validate` on `data` and returns the ajv errors plus one error per unknown field (a key
 * the validator never looked at in an object it did look into).
 */
export function validateStrictly(
  validate: CompiledValidator,
  data: unknown,
  unjudged: ReadonlySet<string> = new Set(),
): { errors: AjvError[]; unknown: FieldPath[] } {
  const accesses = new Map<object, Access>();
  const proxies = new WeakMap<object, object>();
  const wrap = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const cached = proxies.get(value);
    if (cached) return cached;
    // Recorded on the first look inside, not on wrapping: a validator that never looks inside an
    // object (free-form FieldsV1, RawExtension) leaves it unrecorded, so its keys stay unjudged.
    const access = (): Access => {
      let entry = accesses.get(value);
      if (!entry) accesses.set(value, (entry = { read: new Set(), enumerated: false }));
      return entry;
    };
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === 'string') access().read.add(key);
        return wrap(Reflect.get(target, key, receiver));
      },
      has(target, key) {
        if (typeof key === 'string') access().read.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        access().enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  validate(wrap(data));
  const errors = [...(validate.errors ?? [])];

  const unknown: FieldPath[] = [];
  const walk = (value: unknown, path: PathSegment[]) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i]));
      return;
    }
    if (!isPlainObject(value)) return;
    const access = accesses.get(value);
    if (access === undefined) return;
    for (const key of Object.keys(value)) {
      if (access.enumerated || access.read.has(key)) walk(value[key], [...path, key]);
      else if (!unjudged.has(key)) unknown.push([...path, key]);
    }
  };
  walk(data, []);
  return { errors, unknown };
}

/** Turns ajv errors and unknown-field paths into field problems, in kubectl's words. */
export function ajvProblems(data: unknown, errors: readonly AjvError[], unknown: readonly FieldPath[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  // A failed oneOf (IntOrString, Quantity) comes with one error per alternative at the same place.
  const oneOfAt = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const typesAt = new Map<string, string[]>();
  for (const e of errors) {
    if (!oneOfAt.has(e.instancePath)) continue;
    if (e.keyword === 'type') typesAt.set(e.instancePath, [...(typesAt.get(e.instancePath) ?? []), String(e.params.type)]);
  }
  for (const e of errors) {
    const path = pointerToPath(e.instancePath, data);
    const value = valueAt(data, path);
    // null decodes to the Go zero value: the API server accepts it for any field.
    if (value === null && (e.keyword === 'type' || e.keyword === 'oneOf')) continue;
    if (oneOfAt.has(e.instancePath)) {
      if (e.keyword === 'oneOf') {
        const types = typesAt.get(e.instancePath) ?? [];
        const formatError = errors.find((f) => f.instancePath === e.instancePath && f.keyword === 'format');
        problems.push({
          path,
          message: formatError
            ? formatMessage(formatError, value)
            : `expected ${types.length > 0 ? types.join(' or ') : 'one of the alternatives'}, got ${describeValue(value)}`,
        });
      }
      continue;
    }
    switch (e.keyword) {
      case 'required':
        problems.push({ path: [...path, String(e.params.missingProperty)], message: `missing required field "${String(e.params.missingProperty)}"` });
        break;
      case 'type':
        problems.push({ path, message: `expected ${String(e.params.type)}, got ${describeValue(value)}` });
        break;
      case 'enum': {
        const allowed = Array.isArray(e.params.allowedValues) ? e.params.allowedValues : [];
        problems.push({ path, message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}; got ${JSON.stringify(value)}` });
        break;
      }
      case 'format':
        // kubernetes-models' "byte" refuses line breaks; Go's decoder skips them (formats.ts).
        if (e.params.format === 'byte' && checkFormat('byte', value) === undefined) break;
        problems.push({ path, message: formatMessage(e, value) });
        break;
      default:
        problems.push({ path, message: `fails "${e.keyword}" ${JSON.stringify(e.params)}` });
    }
  }
  for (const path of unknown) problems.push({ path, message: `unknown field "${String(path[path.length - 1])}"` });
  return problems;
}

function formatMessage(e: AjvError, value: unknown): string {
  return `${JSON.stringify(value)} is not a valid ${String(e.params.format)}`;
}

const DECLARED_PROPERTY = /^ {4}"?([\w$-]+)"?\??:/gm;
const RELATIVE_IMPORT = /from\s*"(\.\.?\/[^"]+)"/g;
/** The compiled validator a model file uses: `require("../../_schemas/X.js")` (CommonJS) or `from"../../_schemas/X.js"` (ESM). */
const SCHEMA_IMPORT = /(?:from\s*|require\(\s*)"(\.\.?\/[^"]*_schemas\/[A-Za-z0-9]+\.js)"/;

/**
 * Properties declared by the types reachable from a model file (its .d.ts and the .d.ts files it
 * imports, transitively) that the corresponding compiled validator never reads.
 */
export function invisibleProperties(modelFile: string): Set<string> {
  const invisible = new Set<string>();
  const seen = new Set<string>();
  const queue = [modelFile];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    let declaration: string;
    let model: string;
    try {
      declaration = readFileSync(file.replace(/\.js$/, '.d.ts'), 'utf8');
      model = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const schemaFile = SCHEMA_IMPORT.exec(model)?.[1];
    if (schemaFile !== undefined) {
      const validator = readFileSync(join(dirname(file), schemaFile), 'utf8');
      for (const [, name] of declaration.matchAll(DECLARED_PROPERTY)) {
        if (!validator.includes(`data.${name}`) && !validator.includes(`data[${JSON.stringify(name)}]`)) invisible.add(name);
      }
    }
    for (const [, target] of declaration.matchAll(RELATIVE_IMPORT)) queue.push(join(dirname(file), target.endsWith('.js') ? target : `${target}.js`));
  }
  return invisible;
}

/** Loads the catalog from the installed kubernetes-models package. */
export function kubernetesModelsCatalog(): BuiltinCatalog {
  const req = nodeRequire();
  let root: string;
  let version: string;
  try {
    const manifest = req.resolve('kubernetes-models/package.json');
    root = dirname(manifest);
    version = String((JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version);
  } catch (err) {
    throw new SchemaSourceError(`the kubernetes-models package is not installed (${(err as Error).message}); run npm ci, or pass --k8s-schema FILE`);
  }
  const load = (file: string): CompiledValidator => {
    try {
      return (req(file) as { validate: CompiledValidator }).validate;
    } catch (err) {
      throw new SchemaSourceError(
        `cannot load ${file} from kubernetes-models (${(err as Error).message}); run npm ci, or pass --k8s-schema FILE`,
      );
    }
  };
  const check = (validate: CompiledValidator, data: unknown, unjudged?: ReadonlySet<string>): SchemaCheck => {
    const { errors, unknown } = validateStrictly(validate, data, unjudged);
    return { problems: ajvProblems(data, errors, unknown) };
  };
  const description = `kubernetes-models ${version}`;
  const cache = new Map<string, KindSchema | undefined>();
  let objectMeta: CompiledValidator | undefined;

  const find = (gvk: GroupVersionKind): KindSchema | undefined => {
    if (!/^[A-Za-z0-9]+$/.test(gvk.kind) || !/^[a-z0-9.-]*$/.test(gvk.group) || !/^[a-z0-9]+$/.test(gvk.version)) return undefined;
    const modelFile = join(root, gvk.group === '' ? '' : gvk.group, gvk.version, `${gvk.kind}.js`);
    let model: string;
    try {
      model = readFileSync(modelFile, 'utf8');
    } catch {
      return undefined;
    }
    // Only top-level kinds (with apiVersion and kind), not their nested types (v1/Affinity).
    const apiVersion = gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
    // Set as statics: `Deployment.apiVersion="apps/v1"` (CommonJS build), `this.apiVersion=…` (ESM).
    if (!model.includes(`.apiVersion=${JSON.stringify(apiVersion)}`) || !model.includes(`.kind=${JSON.stringify(gvk.kind)}`)) return undefined;
    const schemaFile = SCHEMA_IMPORT.exec(model)?.[1];
    if (schemaFile === undefined) return undefined;
    const validate = load(join(dirname(modelFile), schemaFile));
    const unjudged = invisibleProperties(modelFile);
    return { gvk, source: description, scope: builtinScope(gvk.group, gvk.kind), coversObjectMeta: true, validate: (object) => check(validate, object, unjudged) };
  };

  return {
    description,
    lookup(gvk) {
      const key = gvkKey(gvk);
      if (!cache.has(key)) cache.set(key, find(gvk));
      return cache.get(key);
    },
    validateObjectMeta(metadata) {
      // Resolved the way kubernetes-models' own validators require it: nested first, then hoisted.
      if (objectMeta === undefined) {
        let file: string;
        try {
          file = nodeRequire(join(root, 'package.json')).resolve(OBJECT_META_SCHEMA);
        } catch (err) {
          throw new SchemaSourceError(`cannot find ${OBJECT_META_SCHEMA} from kubernetes-models (${(err as Error).message}); run npm ci, or pass --k8s-schema FILE`);
        }
        objectMeta = load(file);
      }
      const result = check(objectMeta, metadata);
      return { problems: result.problems.map((p) => ({ path: ['metadata', ...p.path], message: p.message })) };
    },
  };
}
