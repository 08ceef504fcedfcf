/**
 * A custom resource's JSON as the API server hands it to CEL, typed by its structural schema
 * (kubernetes/apiserver@v0.34.1 pkg/cel/common/valuesunstructured.go:38-200):
 * `integer` → int, `number` → double, int-or-string → int or string, `format: byte` → bytes,
 * `date`/`date-time` → timestamp, `duration` → duration, objects → maps whose property names are
 * escaped as CEL identifiers (pkg/cel/escaping.go), an embedded resource (and the root) shows only
 * apiVersion, kind and metadata.name/generateName (schema.WithTypeAndObjectMeta).
 * A value that cannot be converted throws a CelValueError, which the caller reports.
 */
import type { CelInput } from '@bufbuild/cel';
import { durationFromMs, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { isPlainObject } from './field-path';
import type { OpenApiSchema } from './openapi-types';

export class CelValueError extends Error {}

// pkg/cel/escaping.go: reserved words become __word__; `__`, `.`, `-`, `/` are spelled out.
const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);
const ESCAPES: Record<string, string> = { __: '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' };

/** The CEL identifier of a property name, or undefined when it cannot be one (then CEL cannot see it). */
export function escapePropertyName(name: string): string | undefined {
  if (name === '' || /^[0-9]/.test(name)) return undefined;
  if (RESERVED.has(name)) return `__${name}__`;
  if (!/^[A-Za-z0-9_./-]+$/.test(name)) return undefined;
  return name.replace(/__|[./-]/g, (m) => ESCAPES[m]);
}

// Go's time.ParseDuration units, as strfmt.ParseDuration accepts them.
const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

function parseGoDuration(text: string): number | undefined {
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(text);
  if (!m && text !== '0') return undefined;
  if (text === '0') return 0;
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(part[1]) * DURATION_UNITS[part[2]];
  return m![1] === '-' ? -total : total;
}

function typeOf(schema: OpenApiSchema | undefined): string | undefined {
  return typeof schema?.type === 'string' ? schema.type : undefined;
}

const EMBEDDED_META = ['name', 'generateName'];

function objectToCel(value: Record<string, unknown>, schema: OpenApiSchema | undefined, resourceRoot: boolean, cache: WeakMap<object, Map<OpenApiSchema | undefined, CelInput>>): CelInput {
  const properties = schema?.properties;
  const additional = typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  const embedded = resourceRoot || schema?.['x-kubernetes-embedded-resource'] === true;
  const out = new Map<string, CelInput>();
  if (embedded || properties !== undefined) {
    for (const [key, child] of Object.entries(value)) {
      const name = escapePropertyName(key);
      if (name === undefined) continue;
      if (embedded && key === 'metadata' && isPlainObject(child)) {
        out.set(key, new Map(EMBEDDED_META.filter((k) => typeof child[k] === 'string').map((k) => [k, child[k] as string])));
      } else if (properties && Object.prototype.hasOwnProperty.call(properties, key)) {
        out.set(name, toCel(child, properties[key], cache));
      } else if (embedded && (key === 'apiVersion' || key === 'kind') && typeof child === 'string') {
        out.set(key, child);
      }
    }
    return out;
  }
  if (additional !== undefined) {
    for (const [key, child] of Object.entries(value)) out.set(key, toCel(child, additional, cache));
    return out;
  }
  // x-kubernetes-preserve-unknown-fields without a schema for the fields: typed by the data.
  for (const [key, child] of Object.entries(value)) out.set(key, toCel(child, undefined, cache));
  return out;
}

/**
 * Converts `value` (typed by `schema`) to a CEL input. `resourceRoot` marks the document root.
 * Objects and lists are converted once per schema (the cache), since rules at every depth see them.
 */
export function toCel(value: unknown, schema: OpenApiSchema | undefined, cache = new WeakMap<object, Map<OpenApiSchema | undefined, CelInput>>(), resourceRoot = false): CelInput {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object') {
    const bySchema = cache.get(value);
    const hit = bySchema?.get(schema);
    if (hit !== undefined && !resourceRoot) return hit;
    const converted = Array.isArray(value) ? value.map((item) => toCel(item, schema?.items, cache)) : isPlainObject(value) ? objectToCel(value, schema, resourceRoot, cache) : null;
    if (!resourceRoot) (bySchema ?? cache.set(value, new Map()).get(value)!).set(schema, converted);
    return converted;
  }
  const type = typeOf(schema);
  const intOrString = schema?.['x-kubernetes-int-or-string'] === true;
  if (typeof value === 'number') {
    if (type === 'number') return value;
    if (Number.isInteger(value) && (type === 'integer' || intOrString || type === undefined)) return BigInt(value);
    if (type === 'integer') throw new CelValueError(`invalid data, expected int, got ${value}`);
    return value;
  }
  if (typeof value === 'string' && type === 'string') {
    switch (schema?.format) {
      case 'byte':
        return new Uint8Array(Buffer.from(value.replace(/[\r\n]/g, ''), 'base64'));
      case 'duration': {
        const ms = parseGoDuration(value);
        if (ms === undefined) throw new CelValueError(`Invalid duration ${value}`);
        return durationFromMs(ms);
      }
      case 'date':
      case 'date-time': {
        const date = new Date(value);
        if (Number.isNaN(date.getTime())) throw new CelValueError(`Invalid ${schema.format} formatted string ${value}`);
        return timestampFromDate(date);
      }
    }
  }
  return value as CelInput;
}
