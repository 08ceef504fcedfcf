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
import { ADVERSARIAL, prng, randomValue } from './adversarial';
import { EXAMPLE_TENANTS } from '../example-project';

const reference = (value: unknown): string => stringify(value, YAML_OPTIONS);

function tenantsOf(text: string): TenantSpec[] {
  const result = validateTenantsText(text);
  expect(result.problems).toEqual([]);
  return result.tenants;
}

/** Every object of the example list and of a generated list covering every tenant shape. */
const synthesized: Manifest[] = [
  ...tenantsOf(readFileSync(EXAMPLE_TENANTS, 'utf8')),
  ...tenantsOf(generateTenantList(12)),
].flatMap((t) => tenantManifests(t));

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
 * back unchanged; otherwise write something else that does, or refuse (only a `<<` key, a YAML
 * 1.1 merge key that kustomize drops even quoted, and a string with a lone UTF-16 surrogate,
 * which has no UTF-8 encoding, cannot be written at all).
 */
function expectFaithful(value: unknown): 'same' | 'fixed' | 'refused' {
  let text: string;
  let ref: string;
  try {
    text = documentYaml(value);
    ref = reference(value);
  } catch (err) {
    if (/lone UTF-16 surrogate/.test(String(err))) expect(JSON.stringify(value)).toMatch(/\\ud[89a-f]/);
    else {
      expect(String(err)).toMatch(/the key "<<" at /);
      expect(JSON.stringify(value)).toContain('"<<":');
    }
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
    if (s === '\ud800' || s === '<<') expect(outcome).toBe('refused');
    else if (!/\n/.test(s)) expect(outcome).toBe('same');
  });

  test.each(['%ROUTE_NAMESPACE%/%ROUTE_NAME%', '%', '%YAML 1.2', '%TAG ! tag:x,2000:', '% x'])('a leading %% (%s) goes through the fast path, as yaml writes it', (s) => {
    expect(expectFaithful({ a: s, list: [s, [s]], nested: { [s]: s } })).toBe('same');
  });

  test('strings yaml would write as block scalars that lose whitespace are quoted instead', () => {
    for (const s of [' \n', '   \n', ' \n\n', '\n \n', ' \n \n']) {
      const value = { a: s, b: [s] };
      expect(expectFaithful(value)).toBe('fixed');
      expect(documentYaml(value)).toContain('"');
    }
  });

  test('a `<<` value is written quoted; a `<<` key is refused, naming where it is', () => {
    expect(documentYaml({ a: '<<', b: ['<<'] })).toBe('a: "<<"\nb:\n  - "<<"\n');
    expect(fastDocumentYaml({ a: '<<' })).toBe('a: "<<"\n');
    expect(() => documentYaml({ '<<': { a: 1 } })).toThrow(/^cannot write this object as YAML: the key "<<" at the top level: .*kustomize drops the key even when it is quoted; rename it$/);
    expect(() => toYaml([{ kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', labels: { '<<': 'x' } } }])).toThrow(/^cannot write ConfigMap n\/c as YAML: the key "<<" at metadata\.labels:/);
    expect(() => documentYaml({ spec: [{ a: 1 }, { '<<': {} }] })).toThrow(/the key "<<" at spec\[1\]:/);
  });

  test('strings go-yaml (kubectl, kustomize) reads as numbers are quoted; plain look-alikes are not', () => {
    const misread = ['0X1F', '0O17', '0B1', '-0o17', '+_1', '_1', '1.5e+3_0', '0x1p-2', '+inf', '-Infinity', '1_2.5', '._5', 'inf', 'NaN'];
    for (const s of misread) {
      expect(documentYaml({ a: s })).toBe(`a: "${s}"\n`);
      expect(fastDocumentYaml({ a: s })).toBe(`a: "${s}"\n`);
    }
    for (const s of ['1.2.3', 'v1.2', '0x', '12e', 'infinite', 'nano', '0x1G', '1-2', 'a1', '6.7.1']) {
      expect(documentYaml({ a: s })).toBe(`a: ${s}\n`);
    }
  });

  test('line and paragraph separators, NEL, DEL, C1 controls, BOM and non-characters are escaped', () => {
    const cases: [string, string][] = [
      ['a\u2028b', 'a\\u2028b'],
      ['\u2029', '\\u2029'],
      ['a\u0085b', 'a\\u0085b'],
      ['\u007f', '\\u007f'],
      ['\u0080\u009f', '\\u0080\\u009f'],
      ['\ufeffx', '\\ufeffx'],
      ['\ufffe\uffff', '\\ufffe\\uffff'],
      ['caf\u00e9\u2028\n "q"', 'café\\u2028\\n \\"q\\"'],
    ];
    for (const [s, escaped] of cases) {
      const text = documentYaml({ [s]: s, l: [s] });
      expect(text).toBe(`"${escaped}": "${escaped}"\nl:\n  - "${escaped}"\n`);
      expect(text).toBe(reference({ [s]: s, l: [s] }));
      expect(text).not.toMatch(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/);
      expectRoundTrip(text, { [s]: s, l: [s] });
    }
  });

  test('a string with a lone surrogate (no UTF-8 encoding exists) is refused, naming it', () => {
    expect(() => documentYaml({ env: 'a\ud800b' })).toThrow(/^cannot write this object as YAML: the string "a\\ud800b" at env: it holds a lone UTF-16 surrogate/);
    expect(() => documentYaml({ kind: 'Deployment', metadata: { name: 'd' }, spec: { env: [{ value: '\udc00' }] } })).toThrow(/^cannot write Deployment d as YAML: the string "\\udc00" at spec\.env\[0\]\.value: it holds a lone UTF-16 surrogate/);
    expect(() => documentYaml({ ['k\ud800']: 1 })).toThrow(/the key "k\\ud800" at k\ud800: it holds a lone UTF-16 surrogate/);
    expect(documentYaml({ env: '😀' })).toBe('env: 😀\n');
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
