/**
 * Seeded generators of strings and JSON values that YAML writers and readers get wrong, shared
 * by the emitter tests (test/synth/yaml-emitter.test.ts) and the Go YAML round trip
 * (test/synth/go-yaml-roundtrip.test.ts).
 */

/** Strings YAML 1.1 or 1.2 would read as something else, or that need quoting or escaping. */
export const ADVERSARIAL = [
  '', ' ', 'on', 'On', 'ON', 'off', 'yes', 'Yes', 'no', 'NO', 'y', 'Y', 'n', 'N', 'true', 'True', 'false', 'FALSE',
  'null', 'Null', 'NULL', '~', '0755', '0o17', '0x1F', '0b101', '1e3', '1E3', '-1e-3', '.5', '1.', '+1', '-0', '1_000',
  '12:30', '1:20:30', '190:20:30.15', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '.inf', '-.Inf', '.NaN', '<<',
  '=', '-', '?', '- a', '? a', ': a', 'a: b', 'a:b', 'a:', 'a #b', 'a#b', '#a', '&a', '*a', '!a', '|a', '>a', "'a", '"a',
  '%a', '@a', '`a', '[a', ']a', '{a', '}a', ',a', 'a,b', 'a[b]', 'a{b}', 'a ', ' a', 'a  b', "it's", 'say "hi"',
  `both ' and "`, 'back\\slash', 'tab\there', 'line\nbreak', 'two\n\nlines', 'trailing\n', '\nleading', ' \n ',
  'a\n b', '---', '--- a', '...', '... a', 'a\n---\nb', '%YAML 1.1', 'café', 'ünïcødé', '日本', '😀', '\u0000', '\u0007',
  '\u001b', '\u007f', '\u0085', '\u00a0', '\u2028', '\ud800', 'x'.repeat(1100), 'a b c '.repeat(30), '25%', '10.0.0.0/8',
  'ghcr.io/stefanprodan/podinfo@sha256:' + 'a'.repeat(64), 'tenantscale.io/tenant', 'Off', 'IfNotPresent',
  // What go-yaml (kubectl, kustomize) reads differently from YAML 1.1 and 1.2 (constructs/go-yaml-tags.ts).
  '0X1F', '0O17', '0B1', '-0o17', '+_1', '_1', '1.5e+3_0', '0x1p-2', '+inf', '-Infinity', '+nan', '\u2029', 'a\u2028b',
  'a\u0085b', '\u0080', '\u009f', '\ufeff', 'a\ufeff', '\ufffe', '\uffff', 'x\u2028\ny', '<< ', 'a<<',
];

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'Z', '0', '1', '7', '9', ' ', '-', '.', ':', '#', '_', '/', '%', '@', '&', '*', '!', '|', '>', "'", '"', ',', '[', ']', '{', '}', '?', '~', '+', 'e', 'x', 'o', '\n', '\t', '\\', 'é', 'X', 'O', 'B', 'p', '<', '\u2028', '\u0085', '\u007f', '\ufeff'];

export function randomString(rand: () => number): string {
  if (rand() < 0.3) return ADVERSARIAL[Math.floor(rand() * ADVERSARIAL.length)];
  const length = Math.floor(rand() * 8);
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}

export function randomValue(rand: () => number, depth: number): unknown {
  const r = rand();
  if (depth <= 0 || r < 0.45) {
    const k = rand();
    if (k < 0.6) return randomString(rand);
    if (k < 0.75) return Math.floor(rand() * 2000) - 1000;
    if (k < 0.8) return [0.5, -2.25, 1e21, 1e-7, 3.0][Math.floor(rand() * 5)];
    if (k < 0.9) return rand() < 0.5;
    return rand() < 0.5 ? null : 'null';
  }
  if (r < 0.7) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth - 1));
  const o: Record<string, unknown> = {};
  const n = Math.floor(rand() * 5);
  for (let i = 0; i < n; i++) o[randomString(rand)] = randomValue(rand, depth - 1);
  return o;
}

