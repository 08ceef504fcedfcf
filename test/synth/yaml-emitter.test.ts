/**
 * The direct YAML emitter in constructs/manifests.ts must write exactly the bytes `yaml` writes
 * with YAML_OPTIONS, and everything it writes must read back unchanged as YAML 1.1 and 1.2.
 */
import { Document, parse, parseAllDocuments, stringify } from 'yaml';
import { documentYaml, fastDocumentYaml, Manifest, tenantManifests, toYaml, YAML_OPTIONS } from '../../constructs/manifests';
import { validateTenantsText } from '../../tenants/validate';
import { TenantSpec } from '../../tenants/schema';
import { generateTenantList } from '../../bench/bench';
import { readFileSync } from 'node:fs';

const reference = (value: unknown): string => stringify(value, YAML_OPTIONS);

function tenantsOf(text: string): TenantSpec[] {
  const result = validateTenantsText(text);
  expect(result.problems).toEqual([]);
  return result.tenants;
}

/** Every object of the example list and of a generated list covering every tenant shape. */
const synthesized: Manifest[] = [
  ...tenantsOf(readFileSync('tenants/tenants.yaml', 'utf8')),
  ...tenantsOf(generateTenantList(12)),
].flatMap((t) => tenantManifests(t));

/** Strings YAML 1.1 or 1.2 would read as something else, or that need quoting or escaping. */
const ADVERSARIAL = [
  '', ' ', 'on', 'On', 'ON', 'off', 'yes', 'Yes', 'no', 'NO', 'y', 'Y', 'n', 'N', 'true', 'True', 'false', 'FALSE',
  'null', 'Null', 'NULL', '~', '0755', '0o17', '0x1F', '0b101', '1e3', '1E3', '-1e-3', '.5', '1.', '+1', '-0', '1_000',
  '12:30', '1:20:30', '190:20:30.15', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '.inf', '-.Inf', '.NaN', '<<',
  '=', '-', '?', '- a', '? a', ': a', 'a: b', 'a:b', 'a:', 'a #b', 'a#b', '#a', '&a', '*a', '!a', '|a', '>a', "'a", '"a',
  '%a', '@a', '`a', '[a', ']a', '{a', '}a', ',a', 'a,b', 'a[b]', 'a{b}', 'a ', ' a', 'a  b', "it's", 'say "hi"',
  `both ' and "`, 'back\\slash', 'tab\there', 'line\nbreak', 'two\n\nlines', 'trailing\n', '\nleading', ' \n ',
  'a\n b', '---', '--- a', '...', '... a', 'a\n---\nb', '%YAML 1.1', 'café', 'ünïcødé', '日本', '😀', '\u0000', '\u0007',
  '\u001b', '\u007f', '\u0085', '\u00a0', '\u2028', '\ud800', 'x'.repeat(1100), 'a b c '.repeat(30), '25%', '10.0.0.0/8',
  'ghcr.io/stefanprodan/podinfo@sha256:' + 'a'.repeat(64), 'tenantscale.io/tenant', 'Off', 'IfNotPresent',
];

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'Z', '0', '1', '7', '9', ' ', '-', '.', ':', '#', '_', '/', '%', '@', '&', '*', '!', '|', '>', "'", '"', ',', '[', ']', '{', '}', '?', '~', '+', 'e', 'x', 'o', '\n', '\t', '\\', 'é'];

function randomString(rand: () => number): string {
  if (rand() < 0.3) return ADVERSARIAL[Math.floor(rand() * ADVERSARIAL.length)];
  const length = Math.floor(rand() * 8);
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}

function randomValue(rand: () => number, depth: number): unknown {
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

/** Whether a document reads back as YAML 1.1 and 1.2 as the JSON value it was written from. */
function readsBack(text: string, value: unknown): boolean {
  const json = JSON.stringify(value);
  try {
    return (['1.1', '1.2'] as const).every((version) => JSON.stringify(parse(text, { version })) === json);
  } catch {
    return false;
  }
}

function expectRoundTrip(text: string, value: unknown): void {
  const json = JSON.parse(JSON.stringify(value));
  for (const version of ['1.1', '1.2'] as const) expect(parse(text, { version })).toEqual(json);
}

/**
 * What documentYaml must do with any value: write exactly what `yaml` writes when that reads
 * back unchanged; otherwise write something else that does, or refuse (only a `<<` key, a
 * YAML 1.1 merge key, cannot be written at all).
 */
function expectFaithful(value: unknown): 'same' | 'fixed' | 'refused' {
  const ref = reference(value);
  let text: string;
  try {
    text = documentYaml(value);
  } catch (err) {
    expect(String(err)).toMatch(/reads back unchanged/);
    expect(readsBack(ref, value)).toBe(false);
    expect(JSON.stringify(value)).toContain('"<<":');
    return 'refused';
  }
  expectRoundTrip(text, value);
  if (readsBack(ref, value)) {
    expect(text).toBe(ref);
    return 'same';
  }
  expect(text).not.toBe(ref);
  return 'fixed';
}

describe('direct YAML emitter', () => {
  test('writes every synthesized object through the fast path, byte-identical to yaml', () => {
    expect(synthesized.length).toBeGreaterThan(100);
    for (const o of synthesized) {
      const fast = fastDocumentYaml(o);
      expect(fast).toBeDefined();
      expect(fast).toBe(reference(o));
    }
  });

  test('a tenant file is the objects joined by ---, and reads back as 1.1 and 1.2', () => {
    const objects = synthesized.slice(0, 11);
    const text = toYaml(objects);
    expect(text).toBe(objects.map(reference).join('---\n'));
    for (const version of ['1.1', '1.2'] as const) {
      const docs = parseAllDocuments(text, { version }) as Document[];
      expect(docs.map((d) => d.toJS())).toEqual(JSON.parse(JSON.stringify(objects)));
    }
  });

  test.each(ADVERSARIAL.map((s) => [JSON.stringify(s).slice(0, 40), s]))('adversarial string %s as key, value and item', (_, s) => {
    const value = { [s === '' ? 'empty' : s]: s, list: [s, [s]], nested: { key: s }, s };
    const outcome = expectFaithful(value);
    if (s === '<<') expect(outcome).toBe('refused');
    else if (!/\n/.test(s)) expect(outcome).toBe('same');
  });

  test('strings yaml would write as block scalars that lose whitespace are quoted instead', () => {
    for (const s of [' \n', '   \n', ' \n\n', '\n \n', ' \n \n']) {
      const value = { a: s, b: [s] };
      expect(expectFaithful(value)).toBe('fixed');
      expect(documentYaml(value)).toContain('"');
    }
  });

  test('a `<<` key (a YAML 1.1 merge key) is refused, not written to be misread', () => {
    expect(() => documentYaml({ '<<': { a: 1 } })).toThrow(/reads back unchanged/);
    expect(() => toYaml([{ metadata: { labels: { '<<': 'x' } } }])).toThrow(/reads back unchanged/);
  });

  test('YAML 1.1 and 1.2 special strings are quoted, plain words are not', () => {
    const text = documentYaml({ a: 'on', b: '0o17', c: '0755', d: '12:30', e: '', f: 'plain', g: '25%' });
    expect(text).toBe('a: "on"\nb: "0o17"\nc: "0755"\nd: "12:30"\ne: ""\nf: plain\ng: 25%\n');
  });

  test('structure: empty, nested and top-level collections, numbers, booleans', () => {
    const cases: unknown[] = [
      {},
      [],
      [[]],
      [{}],
      { a: {}, b: [], c: [{}], d: [[1, 2], []], e: [{ x: 1, y: [true, false] }, 'z'] },
      ['a', ['b', ['c']], { d: { e: { f: 'g' } } }],
      { n: [0, -1, 1.5, 1e21, 1e-7, 123456789012, -0.5] },
      { '1': 'numeric key', '010': 'octal-looking key', 'a b': 'space', 'k:v': 'colon' },
    ];
    for (const value of cases) {
      const text = documentYaml(value);
      expect(fastDocumentYaml(value)).toBe(text);
      expect(text).toBe(reference(value));
      expectRoundTrip(text, value);
    }
  });

  test('values the fast path does not cover go through yaml unchanged', () => {
    const cases: unknown[] = [{ a: undefined, b: 1 }, { a: -0 }, { a: NaN }, { a: new Date(0) }, { a: 'x\ny' }, { a: 'café' }, { a: 'say "hi"' }];
    for (const value of cases) {
      expect(fastDocumentYaml(value)).toBeUndefined();
      expect(documentYaml(value)).toBe(reference(value));
    }
  });

  test('null is written as yaml writes it', () => {
    const value = { a: null, b: [null, { c: null }] };
    expect(fastDocumentYaml(value)).toBe('a: null\nb:\n  - null\n  - c: null\n');
    expect(fastDocumentYaml(value)).toBe(reference(value));
  });

  test('property: 3,000 random JSON documents are written as yaml writes them and read back in 1.1 and 1.2', () => {
    const rand = prng(20261122);
    const outcomes = { same: 0, fixed: 0, refused: 0, fast: 0 };
    for (let i = 0; i < 3000; i++) {
      const value = rand() < 0.5 ? { root: randomValue(rand, 4) } : randomValue(rand, 4);
      if (typeof value !== 'object' || value === null) continue;
      outcomes[expectFaithful(value)]++;
      const fast = fastDocumentYaml(value);
      if (fast !== undefined) {
        outcomes.fast++;
        expect(fast).toBe(reference(value));
      }
    }
    expect(outcomes.fast).toBeGreaterThan(300);
    expect(outcomes.same).toBeGreaterThan(2000);
  });
});
