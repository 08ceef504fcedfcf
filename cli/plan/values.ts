/**
 * Small, pure helpers the plan shares: canonical JSON (key order never matters), JSON paths in
 * the `spec.template.spec.containers[0].image` notation, and one-line renderings of values.
 */

/** A plain object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * JSON with object keys sorted at every level, so that two values that differ only in key order
 * serialize identically. `undefined` members are dropped, as in `JSON.stringify`.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort(compareStrings);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Code-point order, independent of the locale (`localeCompare` is not). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Appends a key or an index to a JSON path: `spec` + `replicas` → `spec.replicas`,
 * `containers` + 0 → `containers[0]`, `labels` + `app.kubernetes.io/name` →
 * `labels["app.kubernetes.io/name"]`.
 */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (IDENTIFIER.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}

/** Strings shown without quotes: nothing a reader could mistake for a number, boolean or null. */
const BARE = /^[A-Za-z0-9_./:@%+=~-]+$/;
const AMBIGUOUS = /^([-+]?[0-9.]+([eE][-+]?[0-9]+)?|true|false|null|yes|no|on|off|~)$/i;

/**
 * One-line rendering of a value for a diff line: `(absent)` for a missing value, bare strings
 * when unambiguous (`ghcr.io/x:1.2`), quoted otherwise (`"1"`, `"a b"`), compact canonical JSON
 * for objects and lists. `max` truncates long renderings with `…`.
 */
export function renderValue(value: unknown, max = Infinity): string {
  let text: string;
  if (value === undefined) text = '(absent)';
  else if (typeof value === 'string') text = BARE.test(value) && !AMBIGUOUS.test(value) ? value : JSON.stringify(value);
  else text = canonicalJson(value);
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}
