/**
 * `yaml` tags that make `stringify` write strings every Go YAML reader reads back as the same
 * string: kubectl and the API machinery read manifests with sigs.k8s.io/yaml (a fork of go-yaml
 * v2, YAML 1.1), kustomize with kyaml (go-yaml v3). `yaml`'s own YAML 1.1 and 1.2 quoting is not
 * enough for them:
 *
 * - go-yaml resolves a plain scalar that starts with a digit or a sign by deleting every `_` and
 *   calling Go's `strconv.ParseInt(s, 0, 64)`, then `ParseFloat` (go-yaml/yaml@v2.4.0
 *   resolve.go:139-190; v3.0.1 resolve.go:180-260 keeps the `_` removal and base-0 ParseInt), so
 *   `0X1F`, `0O17`, `0B1`, `-0o17`, `+_1` and `1.5e+3_0` are numbers to kubectl although neither
 *   YAML 1.1 nor 1.2 says so. Measured with kubectl 1.32 and 1.20: `k: 0X1F` reads as 31.
 * - a plain `<<` is the YAML 1.1 merge key (go-yaml/yaml@v2.4.0 resolve.go:48, decode.go:813).
 * - go-yaml's reader refuses characters outside its printable set (DEL, C1 controls, U+FEFF
 *   inside a document, U+FFFE, U+FFFF: "control characters are not allowed") and breaks lines at
 *   NEL (U+0085), LS (U+2028) and PS (U+2029), inside quoted scalars too
 *   (go-yaml/yaml@v2.4.0 yamlprivateh.go:63 `is_printable`, :102 `is_break`). `yaml` writes all
 *   of them raw.
 * - go-yaml refuses a block scalar line that starts with a tab after its indentation
 *   (go-yaml/yaml@v2.4.0 scannerc.go:2283); `yaml` writes multi-line strings as block scalars.
 *
 * The first two become quoting tests (`yaml` quotes a plain string that any default tag's `test`
 * matches); the last two are handled by a string tag that writes such strings double-quoted with
 * `\uXXXX` escapes, which every reader decodes. These tags are only ever used for writing:
 * manifests are read with the stock schemas. test/synth/go-yaml-roundtrip.test.ts checks the
 * result against kubectl and kustomize.
 */
import { Document, Scalar } from 'yaml';
import type { ScalarTag } from 'yaml';

/** `yaml`'s own YAML 1.1 string tag, whose stringifier handles every string go-yaml reads raw. */
const YAML_STRING_TAG = new Document(null, { version: '1.1' }).schema.tags.find(
  (tag): tag is ScalarTag => tag.tag === 'tag:yaml.org,2002:str' && 'stringify' in tag && !!tag.stringify,
)!;

/** Characters go-yaml refuses raw or reads as a line break; written as `\uXXXX` escapes. */
const GO_UNSAFE_CHARS = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;
const GO_UNSAFE_CHARS_GLOBAL = new RegExp(GO_UNSAFE_CHARS.source, 'g');
/**
 * A line of a multi-line string that starts with a tab: `yaml` writes such strings as block
 * scalars, and go-yaml refuses a block scalar line whose indentation is followed by a tab ("found
 * a tab character where an indentation space is expected").
 */
const TAB_AFTER_BREAK = /\n\t|^\t[^]*\n/;
/** A UTF-16 surrogate without its pair: no UTF-8 encoding exists, so no reader can get it back. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** One digit-like token followed by any number of `_` (go-yaml deletes them before parsing). */
const t = (cls: string): string => `(?:${cls}_*)`;
const digits = (cls: string): string => `${t(cls)}+`;
const sign = `${t('[-+]')}?`;
const dec = digits('[0-9]');
const hex = digits('[0-9a-f]');
const exponent = (letter: string): string => `${t(letter)}${sign}${dec}`;
/** Go's `ParseInt(s, 0, 64)` and `ParseFloat(s, 64)` grammar after `_` removal, case-insensitive. */
const GO_NUMBER = new RegExp(
  `^_*${sign}(?:` +
    [
      `${t('0')}${t('x')}${hex}`, // hex int
      `${t('0')}${t('b')}${digits('[01]')}`, // binary int
      `${t('0')}${t('o')}${digits('[0-7]')}`, // octal int (0o) — and 0NNN is a decimal-looking octal, covered below
      `(?:${dec}(?:${t('\\.')}${t('[0-9]')}*)?|${t('\\.')}${dec})(?:${exponent('e')})?`, // decimal int or float
      `${t('0')}${t('x')}(?:${hex}(?:${t('\\.')}${t('[0-9a-f]')}*)?|${t('\\.')}${hex})${exponent('p')}`, // hex float
      `${t('i')}${t('n')}${t('f')}(?:${t('i')}${t('n')}${t('i')}${t('t')}${t('y')})?`, // ±inf, ±infinity
      `${t('n')}${t('a')}${t('n')}`, // nan
    ].join('|') +
    ')$',
  'i',
);

/**
 * A quoting test for `yaml`: never identifies a value (so it never creates or resolves a node),
 * only makes `stringify` quote the strings `test` matches.
 */
function quoteWhen(name: string, test: RegExp): ScalarTag {
  return {
    tag: `tag:tenantscale.io,2026:${name}`,
    default: true,
    identify: () => false,
    test,
    resolve: (str: string) => str,
  };
}

/** Whether go-yaml could read `s`, written plain, as something other than this string. */
export function goMisreadsPlain(s: string): boolean {
  return s === '<<' || GO_NUMBER.test(s);
}

/** `s` as a double-quoted scalar with JSON escapes plus `\uXXXX` for the characters go-yaml cannot take raw. */
export function goDoubleQuoted(s: string): string {
  return JSON.stringify(s).replace(GO_UNSAFE_CHARS_GLOBAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The string tag: `yaml`'s own string stringifier, except for strings holding characters go-yaml
 * cannot read raw, and strings that are not well-formed UTF-16 (a lone surrogate has no UTF-8
 * encoding: no reader gets it back), which are refused.
 */
const goSafeString: ScalarTag = {
  tag: 'tag:yaml.org,2002:str',
  default: true,
  identify: (value) => typeof value === 'string',
  // `stringify` prefers, among the tags that identify a value, those with a `test`: without one the
  // YAML 1.1 merge tag (which identifies the string "<<") would write `<<` plain.
  test: /^/,
  resolve: (str: string) => str,
  stringify(item, ctx, onComment, onChompKeep) {
    const value = String((item as Scalar).value);
    if (LONE_SURROGATE.test(value)) {
      throw new Error(`cannot write a string with a lone UTF-16 surrogate as YAML: ${JSON.stringify(value.slice(0, 80))}`);
    }
    if (GO_UNSAFE_CHARS.test(value) || TAB_AFTER_BREAK.test(value)) return goDoubleQuoted(value);
    return YAML_STRING_TAG.stringify!(item, ctx, onComment, onChompKeep);
  },
};

/** The tags to put first (`customTags`) in the options every manifest is written with. */
export function goSafeTags<T>(tags: T[]): (T | ScalarTag)[] {
  return [goSafeString, quoteWhen('go-number', GO_NUMBER), quoteWhen('merge-key', /^<<$/), ...tags];
}

/** Whether `s` holds a UTF-16 surrogate without its pair. */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}

/** Whether `s` holds a character go-yaml cannot read raw (the direct emitter leaves these to `yaml`). */
export function hasGoUnsafeChars(s: string): boolean {
  return GO_UNSAFE_CHARS.test(s);
}
