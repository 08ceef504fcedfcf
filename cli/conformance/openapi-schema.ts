/**
 * Validates a JSON value against an OpenAPI schema the way the Kubernetes API server reads it, in
 * the strict mode of kubeconform: unknown fields are errors. Two dialects:
 *
 * - `builtin`: Kubernetes OpenAPI v2 `definitions` (`$ref: #/definitions/...`). The definitions
 *   never say `additionalProperties: false`, so an object with `properties` is closed here; an
 *   object schema without `properties` or `additionalProperties` (RawExtension, FieldsV1, JSON) is
 *   free-form; `null` is accepted anywhere (the API server decodes it as the Go zero value).
 * - `crd`: a CustomResourceDefinition's structural `openAPIV3Schema`. An object schema without
 *   `properties`, `additionalProperties` or `x-kubernetes-preserve-unknown-fields` would have every
 *   field pruned by the API server, so each one is an error; `null` needs `nullable: true`; the
 *   root and `x-kubernetes-embedded-resource` objects implicitly allow apiVersion, kind, metadata.
 *
 * Both honour `x-kubernetes-int-or-string` (and `format: int-or-string`), `additionalProperties`,
 * `x-kubernetes-preserve-unknown-fields`, required, enum, the checked formats (see formats.ts),
 * string/number/array/object bounds, pattern, allOf/anyOf/oneOf/not, and list-type set/map
 * uniqueness. With `cel`, CEL rules (`x-kubernetes-validations`) are evaluated (cel-rules.ts) and
 * the rules that cannot be are listed; without it they are counted. A `pattern` JavaScript cannot
 * compile is not checked, and counted. A CRD's `default`s are applied before this runs
 * (structural-defaults.ts), as the API server does.
 */
import { budgetSummary, CelBudget, evaluateRules, newCelBudget } from './cel-rules';
import type { OpenApiSchema, UnevaluatedRule } from './openapi-types';
import { checkFormat } from './formats';
import { describeValue, FieldPath, FieldProblem, isPlainObject, PathSegment } from './field-path';
import { noneUnchecked, UncheckedTally } from './schema-catalog';

export type { OpenApiSchema } from './openapi-types';

export type SchemaDialect = 'builtin' | 'crd';

export interface SchemaValidationOptions {
  readonly dialect: SchemaDialect;
  /** Resolves a `$ref`; required when the schema uses them. */
  readonly resolveRef?: (ref: string) => OpenApiSchema | undefined;
  /**
   * Validate the root `metadata` only against what the schema declares, without the unknown-field
   * check (a CRD may only constrain name/generateName; the rest is ObjectMeta, checked separately).
   * @default false
   */
  readonly openRootMetadata?: boolean;
  /** Evaluate CEL rules (`x-kubernetes-validations`) instead of counting them. @default false */
  readonly cel?: boolean;
}

export interface SchemaValidationResult {
  readonly problems: FieldProblem[];
  /** CEL rules not evaluated, and patterns JavaScript cannot compile (not checked). */
  readonly unchecked: UncheckedTally;
  /** With `cel`: each rule that could not be evaluated, and why. */
  readonly unevaluated: UnevaluatedRule[];
}

const IMPLICIT_RESOURCE_FIELDS = ['apiVersion', 'kind', 'metadata'];

interface Context {
  readonly options: SchemaValidationOptions;
  readonly problems: FieldProblem[];
  readonly unchecked: UncheckedTally;
  readonly unevaluated: UnevaluatedRule[];
  readonly budget: CelBudget;
}

interface Flags {
  /** Report fields the schema does not declare (false inside allOf/anyOf/oneOf/not branches). */
  readonly closed: boolean;
  /** This object is a resource root (the document, or an embedded resource). */
  readonly resourceRoot: boolean;
}

const regexCache = new Map<string, RegExp | null>();

/** RE2 syntax that JavaScript lacks or reads differently: \A \z \C \Q…\E, POSIX classes, \pL without braces. */
const RE2_ONLY = /\\[ACQEz]|\[:\^?[a-z]+:\]|\\[pP][A-Za-z]/;

/**
 * Compiles a Go RE2 `pattern` as a JavaScript RegExp: a leading flag group (`(?i)`, `(?s)`, `(?m)`,
 * combined; also right after a leading `^`) becomes RegExp flags, `(?P<name>` becomes `(?<name>`, a leading `\A` and a trailing
 * `\z` become `^` and `$`. Null when what is left is RE2-only syntax or does not compile, so
 * that it is counted as unchecked rather than checked wrongly.
 */
export function compilePattern(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re !== undefined) return re;
  // `(?i)` at the start, or right after a leading `^`, applies to the whole pattern.
  const leading = /^(\^?)\(\?([ims]+)\)/.exec(pattern);
  const flags = leading ? [...new Set(leading[2])].join('') : '';
  let source = (leading ? leading[1] + pattern.slice(leading[0].length) : pattern).replace(/\(\?P</g, '(?<');
  if (source.startsWith('\\A')) source = `^${source.slice(2)}`;
  if (source.endsWith('\\z') && !source.endsWith('\\\\z')) source = `${source.slice(0, -2)}$`;
  if (RE2_ONLY.test(source)) {
    regexCache.set(pattern, null);
    return null;
  }
  try {
    re = new RegExp(source, `${flags}u`);
  } catch {
    try {
      re = new RegExp(source, flags);
    } catch {
      re = null;
    }
  }
  regexCache.set(pattern, re);
  return re;
}

function typesOf(schema: OpenApiSchema): readonly string[] {
  if (schema.type === undefined) return [];
  return typeof schema.type === 'string' ? [schema.type] : schema.type;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    default:
      return true;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function resolve(schema: OpenApiSchema, ctx: Context, path: FieldPath): OpenApiSchema | undefined {
  let current = schema;
  for (let hops = 0; current.$ref !== undefined; hops++) {
    const target = hops < 32 ? ctx.options.resolveRef?.(current.$ref) : undefined;
    if (target === undefined) {
      ctx.problems.push({ path: [...path], message: `schema error: cannot resolve $ref ${JSON.stringify(current.$ref)}` });
      return undefined;
    }
    current = target;
  }
  return current;
}

/** Validates `value` against `schema`; every problem is collected, nothing is thrown. */
export function validateAgainstSchema(value: unknown, schema: OpenApiSchema, options: SchemaValidationOptions): SchemaValidationResult {
  const ctx: Context = { options, problems: [], unchecked: noneUnchecked(), unevaluated: [], budget: newCelBudget() };
  visit(value, schema, [], ctx, { closed: true, resourceRoot: true });
  const spent = budgetSummary(ctx.budget);
  if (spent) {
    ctx.unevaluated.push(spent);
    ctx.unchecked.celRules += ctx.budget.spent!.skipped;
  }
  return { problems: ctx.problems, unchecked: ctx.unchecked, unevaluated: ctx.unevaluated };
}

function isIntOrString(schema: OpenApiSchema): boolean {
  return schema['x-kubernetes-int-or-string'] === true || schema.format === 'int-or-string';
}

function visit(value: unknown, rawSchema: OpenApiSchema, path: PathSegment[], ctx: Context, flags: Flags): void {
  const schema = resolve(rawSchema, ctx, path);
  if (schema === undefined) return;
  // `path` is mutated while walking: every problem keeps a copy.
  const report = (message: string, at: FieldPath = path) => ctx.problems.push({ path: [...at], message });
  const celRules = flags.closed ? schema['x-kubernetes-validations'] : undefined;
  if (celRules && !ctx.options.cel) ctx.unchecked.celRules += celRules.length;

  if (value === null) {
    if (schema.nullable === true || ctx.options.dialect === 'builtin') return;
    report(`null is not allowed here (expected ${expectedType(schema)}; the field is not nullable)`);
    return;
  }

  // Type.
  if (isIntOrString(schema)) {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) {
      report(`expected an integer or a string, got ${describeValue(value)}`);
      return;
    }
  } else {
    const types = typesOf(schema);
    if (types.length > 0 && !types.some((t) => hasType(value, t))) {
      report(`expected ${types.join(' or ')}, got ${describeValue(value)}`);
      return;
    }
  }
  if (celRules && ctx.options.cel) {
    const resourceRoot = flags.resourceRoot || schema['x-kubernetes-embedded-resource'] === true;
    const outcome = evaluateRules(celRules, value, schema, path, ctx.budget, resourceRoot);
    ctx.problems.push(...outcome.problems);
    ctx.unevaluated.push(...outcome.unevaluated);
    ctx.unchecked.celRules += outcome.unevaluated.length;
    ctx.unchecked.celEvaluated += outcome.evaluated;
    ctx.unchecked.celTransitions += outcome.transitions;
  }

  if (schema.enum && !schema.enum.some((allowed) => deepEqual(allowed, value))) {
    const shown = schema.enum.slice(0, 12).map((v) => JSON.stringify(v)).join(', ');
    report(`must be one of ${shown}${schema.enum.length > 12 ? ', ...' : ''}; got ${JSON.stringify(value)}`);
  }
  if (schema.format !== undefined && !isIntOrString(schema)) {
    const wrong = checkFormat(schema.format, value);
    if (wrong) report(wrong);
  }

  if (typeof value === 'string') checkString(value, schema, report, ctx.unchecked);
  else if (typeof value === 'number') checkNumber(value, schema, report);
  else if (Array.isArray(value)) checkArray(value, schema, path, ctx, report);
  else if (isPlainObject(value)) checkObject(value, schema, path, ctx, flags, report);

  checkCombinators(value, schema, path, ctx, report);
}

function expectedType(schema: OpenApiSchema): string {
  if (isIntOrString(schema)) return 'an integer or a string';
  const types = typesOf(schema);
  return types.length > 0 ? types.join(' or ') : 'a value';
}

function checkString(value: string, schema: OpenApiSchema, report: (m: string) => void, unchecked: UncheckedTally): void {
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) report(`${JSON.stringify(value)} is shorter than ${schema.minLength} characters`);
  if (schema.maxLength !== undefined && length > schema.maxLength) report(`string of ${length} characters is longer than the maximum ${schema.maxLength}`);
  if (schema.pattern !== undefined) {
    const re = compilePattern(schema.pattern);
    if (re === null) unchecked.patterns++;
    else if (!re.test(value)) report(`${JSON.stringify(value)} does not match the pattern ${schema.pattern}`);
  }
}

function checkNumber(value: number, schema: OpenApiSchema, report: (m: string) => void): void {
  const exMin = schema.exclusiveMinimum;
  const exMax = schema.exclusiveMaximum;
  if (schema.minimum !== undefined) {
    if (exMin === true ? value <= schema.minimum : value < schema.minimum) report(`${value} is less than the minimum ${exMin === true ? '(exclusive) ' : ''}${schema.minimum}`);
  }
  if (typeof exMin === 'number' && value <= exMin) report(`${value} must be greater than ${exMin}`);
  if (schema.maximum !== undefined) {
    if (exMax === true ? value >= schema.maximum : value > schema.maximum) report(`${value} is greater than the maximum ${exMax === true ? '(exclusive) ' : ''}${schema.maximum}`);
  }
  if (typeof exMax === 'number' && value >= exMax) report(`${value} must be less than ${exMax}`);
  if (schema.multipleOf !== undefined && schema.multipleOf > 0) {
    const q = value / schema.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) report(`${value} is not a multiple of ${schema.multipleOf}`);
  }
}

function checkArray(value: readonly unknown[], schema: OpenApiSchema, path: PathSegment[], ctx: Context, report: (m: string, at?: FieldPath) => void): void {
  if (schema.minItems !== undefined && value.length < schema.minItems) report(`has ${value.length} items, fewer than the minimum ${schema.minItems}`);
  if (schema.maxItems !== undefined && value.length > schema.maxItems) report(`has ${value.length} items, more than the maximum ${schema.maxItems}`);
  const listType = schema['x-kubernetes-list-type'];
  if (schema.uniqueItems === true || listType === 'set') {
    for (let i = 0; i < value.length; i++) {
      const j = value.findIndex((other, k) => k < i && deepEqual(other, value[i]));
      if (j >= 0) report(`duplicate item: [${i}] equals [${j}] (the list is a set)`, [...path, i]);
    }
  }
  const mapKeys = schema['x-kubernetes-list-map-keys'];
  if (listType === 'map' && mapKeys && mapKeys.length > 0) {
    const seen = new Map<string, number>();
    value.forEach((item, i) => {
      if (!isPlainObject(item)) return;
      const key = JSON.stringify(mapKeys.map((k) => item[k] ?? null));
      const first = seen.get(key);
      if (first !== undefined) report(`duplicate entry: [${i}] has the same ${mapKeys.join(', ')} as [${first}] (${mapKeys.map((k) => `${k}=${JSON.stringify(item[k] ?? null)}`).join(', ')})`, [...path, i]);
      else seen.set(key, i);
    });
  }
  if (schema.items) {
    const items = schema.items;
    value.forEach((item, i) => {
      path.push(i);
      visit(item, items, path, ctx, { closed: true, resourceRoot: false });
      path.pop();
    });
  }
}

function checkObject(
  value: Record<string, unknown>,
  schema: OpenApiSchema,
  path: PathSegment[],
  ctx: Context,
  flags: Flags,
  report: (m: string, at?: FieldPath) => void,
): void {
  const dialect = ctx.options.dialect;
  const keys = Object.keys(value);
  const resourceRoot = dialect === 'crd' && (flags.resourceRoot || schema['x-kubernetes-embedded-resource'] === true);
  for (const field of schema.required ?? []) {
    if (value[field] === undefined) report(`missing required field "${field}"`, [...path, field]);
  }
  if (schema.minProperties !== undefined && keys.length < schema.minProperties) report(`has ${keys.length} fields, fewer than the minimum ${schema.minProperties}`);
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) report(`has ${keys.length} fields, more than the maximum ${schema.maxProperties}`);

  const properties = schema.properties;
  const additional = schema.additionalProperties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const freeForm = dialect === 'builtin' && properties === undefined && additional === undefined;
  for (const key of keys) {
    const child = value[key];
    path.push(key);
    const declared = properties !== undefined && Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
    if (declared !== undefined) {
      // A resource's metadata is ObjectMeta whatever the CRD says; only its declared constraints apply here.
      const metadataOpen = key === 'metadata' && (resourceRoot || (ctx.options.openRootMetadata === true && path.length === 1));
      visit(child, declared, path, ctx, { closed: flags.closed && !metadataOpen, resourceRoot: false });
    } else if (typeof additional === 'object') {
      visit(child, additional, path, ctx, { closed: flags.closed, resourceRoot: false });
    } else if (!(additional === true || preserve || freeForm || !flags.closed || (resourceRoot && IMPLICIT_RESOURCE_FIELDS.includes(key)))) {
      const known = properties ? Object.keys(properties) : [];
      const hint =
        known.length === 0
          ? dialect === 'crd'
            ? ' (the schema declares no fields here; the API server would prune it)'
            : ' (the schema declares no fields here)'
          : known.length <= 12
            ? ` (known fields: ${known.join(', ')})`
            : '';
      report(`unknown field "${key}"${hint}`);
    }
    path.pop();
  }
}

function checkCombinators(value: unknown, schema: OpenApiSchema, path: PathSegment[], ctx: Context, report: (m: string) => void): void {
  const branch = (s: OpenApiSchema): FieldProblem[] => {
    const sub: Context = { options: ctx.options, problems: [], unchecked: ctx.unchecked, unevaluated: ctx.unevaluated, budget: ctx.budget };
    visit(value, s, [...path], sub, { closed: false, resourceRoot: false });
    return sub.problems;
  };
  for (const s of schema.allOf ?? []) for (const p of branch(s)) ctx.problems.push(p);
  for (const [word, branches] of [['at least', schema.anyOf], ['exactly', schema.oneOf]] as const) {
    if (!branches || branches.length === 0) continue;
    const results = branches.map(branch);
    const passing = results.filter((r) => r.length === 0).length;
    if (passing === 1 || (passing > 1 && word === 'at least')) continue;
    if (passing === 0) {
      // Alternatives that differ only by type (IntOrString, Quantity): say which type was expected,
      // or report the problems of the one alternative whose type the value has.
      const resolved = branches.map((b) => (b.$ref ? (ctx.options.resolveRef?.(b.$ref) ?? b) : b));
      const types = resolved.map(typesOf);
      if (types.every((t) => t.length > 0)) {
        const matching = resolved.map((_, i) => i).filter((i) => types[i].some((t) => hasType(value, t)));
        if (matching.length === 0) {
          report(`expected ${[...new Set(types.flat())].join(' or ')}, got ${describeValue(value)}`);
          continue;
        }
        if (matching.length === 1) {
          for (const p of results[matching[0]]) ctx.problems.push(p);
          continue;
        }
      }
    }
    report(`must satisfy ${word} one of: ${describeBranches(branches, results, ctx)}${passing > 1 ? `; it satisfies ${passing}` : ''}`);
  }
  if (schema.not && branch(schema.not).length === 0) report(`must not satisfy ${describeBranch(schema.not, ctx)}`);
}

function describeBranch(raw: OpenApiSchema, ctx: Context): string {
  const s = raw.$ref ? (ctx.options.resolveRef?.(raw.$ref) ?? raw) : raw;
  const parts: string[] = [];
  if (s.type !== undefined) parts.push(`type ${typesOf(s).join('|')}`);
  if (s.required && s.required.length > 0) parts.push(`fields ${s.required.map((r) => `"${r}"`).join(' and ')} set`);
  if (s.properties && !s.required) parts.push(`constraints on ${Object.keys(s.properties).join(', ')}`);
  if (s.not?.required) parts.push(`${s.not.required.map((r) => `"${r}"`).join(' and ')} not set`);
  return parts.length > 0 ? parts.join(', ') : 'a sub-schema';
}

function describeBranches(branches: readonly OpenApiSchema[], results: FieldProblem[][], ctx: Context): string {
  return branches
    .map((b, i) => {
      const first = results[i][0];
      return `(${describeBranch(b, ctx)}${first && results[i].length > 0 && !first.message.startsWith('missing required') && !first.message.startsWith('expected') ? `: ${first.message}` : ''})`;
    })
    .join(' | ');
}
