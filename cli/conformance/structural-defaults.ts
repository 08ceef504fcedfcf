/**
 * What the API server does to a custom resource between decoding and validation, so that
 * `validate` judges the object the API server actually validates:
 *
 * 1. non-nullable `null`s without a default are dropped
 *    (kubernetes/apiextensions-apiserver@v0.34.1 pkg/apiserver/schema/defaulting/prunenulls.go:44);
 * 2. structural defaults are applied: an absent (or non-nullable null) property with a `default`
 *    gets a copy of it, then defaulting recurses into properties, additionalProperties and items
 *    (same tag, pkg/apiserver/schema/defaulting/algorithm.go:34; called from
 *    pkg/apiserver/customresource_handler.go:1186 and :1377).
 *
 * Only `properties`, `additionalProperties` and `items` are followed, as in a structural schema;
 * defaults inside allOf/anyOf/oneOf/not are not allowed there. Works on a copy.
 */
import { isPlainObject } from './field-path';
import type { OpenApiSchema } from './openapi-schema';

function copy<T>(value: T): T {
  return value === undefined ? value : (structuredClone(value) as T);
}

function nonNullableNull(value: unknown, schema: OpenApiSchema | undefined): boolean {
  return value === null && schema !== undefined && schema.nullable !== true;
}

function fieldSchema(schema: OpenApiSchema | undefined, key: string): OpenApiSchema | undefined {
  if (schema === undefined) return undefined;
  if (schema.properties && Object.prototype.hasOwnProperty.call(schema.properties, key)) return schema.properties[key];
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

/** Removes map fields whose value is a null the schema does not allow and has no default for. */
export function pruneNonNullableNullsWithoutDefaults(value: unknown, schema: OpenApiSchema | undefined): void {
  if (Array.isArray(value)) {
    for (const item of value) pruneNonNullableNullsWithoutDefaults(item, schema?.items);
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      const child = fieldSchema(schema, key);
      if (nonNullableNull(value[key], child) && child?.default === undefined) delete value[key];
      else pruneNonNullableNullsWithoutDefaults(value[key], child);
    }
  }
}

/** Applies structural defaults in place. */
export function applyDefaults(value: unknown, schema: OpenApiSchema | undefined): void {
  if (schema === undefined) return;
  if (Array.isArray(value)) {
    const items = schema.items;
    for (let i = 0; i < value.length; i++) {
      if (nonNullableNull(value[i], items) && items?.default !== undefined) value[i] = copy(items.default);
      applyDefaults(value[i], items);
    }
  } else if (isPlainObject(value)) {
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      if (property.default === undefined) continue;
      if (!Object.prototype.hasOwnProperty.call(value, key) || nonNullableNull(value[key], property)) value[key] = copy(property.default);
    }
    const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    for (const key of Object.keys(value)) {
      const property = schema.properties && Object.prototype.hasOwnProperty.call(schema.properties, key) ? schema.properties[key] : undefined;
      if (property !== undefined) applyDefaults(value[key], property);
      else if (additional !== undefined) {
        if (nonNullableNull(value[key], additional) && additional.default !== undefined) value[key] = copy(additional.default);
        applyDefaults(value[key], additional);
      }
    }
  }
}

/** A copy of `object` as the API server validates it: non-nullable nulls pruned, defaults applied. */
export function asAdmitted<T>(object: T, schema: OpenApiSchema): T {
  const admitted = copy(object);
  pruneNonNullableNullsWithoutDefaults(admitted, schema);
  applyDefaults(admitted, schema);
  return admitted;
}
