import { formatPath } from '../../cli/conformance/field-path';
import { compilePattern, OpenApiSchema, SchemaDialect, validateAgainstSchema } from '../../cli/conformance/openapi-schema';

/** `path: message` lines, the way the CLI prints them. */
function check(value: unknown, schema: OpenApiSchema, dialect: SchemaDialect = 'crd', definitions: Record<string, OpenApiSchema> = {}): string[] {
  const resolveRef = (ref: string) => definitions[ref.replace('#/definitions/', '')];
  return validateAgainstSchema(value, schema, { dialect, resolveRef, openRootMetadata: true }).problems.map((p) => `${formatPath(p.path)}: ${p.message}`);
}

const spec: OpenApiSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1, pattern: '^[a-z]+$' },
        replicas: { type: 'integer', format: 'int32', minimum: 0 },
        mode: { type: 'string', enum: ['Off', 'Auto'] },
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'boolean' } } },
        pruned: { type: 'object' },
        optional: { type: 'string', nullable: true },
      },
    },
  },
};

describe('validateAgainstSchema: strict fields', () => {
  it('accepts a conforming object, with implicit apiVersion/kind/metadata at a CRD root', () => {
    const value = { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a', anything: 1 }, spec: { name: 'abc', replicas: 2, mode: 'Off', port: 'http', labels: { a: 'b' }, extra: { free: [1] }, optional: null } };
    expect(check(value, spec)).toEqual([]);
  });

  it('rejects a field the schema does not declare, naming the known fields', () => {
    expect(check({ spec: { name: 'abc', replicaz: 2 } }, spec)).toEqual([
      'spec.replicaz: unknown field "replicaz" (known fields: name, replicas, mode, port, labels, extra, pruned, optional)',
    ]);
  });

  it('treats an object schema without properties as pruning everything in a CRD, but free-form in the built-in dialect', () => {
    expect(check({ spec: { name: 'a', pruned: { x: 1 } } }, spec, 'crd')).toEqual([
      'spec.pruned.x: unknown field "x" (the schema declares no fields here; the API server would prune it)',
    ]);
    expect(check({ spec: { name: 'a', pruned: { x: 1 } } }, spec, 'builtin')).toEqual([]);
  });

  it('honours x-kubernetes-preserve-unknown-fields but still checks declared fields there', () => {
    expect(check({ spec: { name: 'a', extra: { other: { deep: 1 }, known: 'yes' } } }, spec)).toEqual(['spec.extra.known: expected boolean, got string "yes"']);
  });

  it('validates additionalProperties values', () => {
    expect(check({ spec: { name: 'a', labels: { ok: 'v', bad: 3 } } }, spec)).toEqual(['spec.labels.bad: expected string, got integer 3']);
  });

  it('does not let a non-CRD root accept undeclared apiVersion/kind', () => {
    expect(check({ kind: 'X' }, { type: 'object', properties: { spec: { type: 'object' } } }, 'builtin')).toEqual(['kind: unknown field "kind" (known fields: spec)']);
  });

  it('allows apiVersion/kind/metadata in an x-kubernetes-embedded-resource object', () => {
    const embedded: OpenApiSchema = { type: 'object', properties: { template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: {} } } } } };
    expect(check({ template: { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { a: 'b' } }, spec: {} } }, embedded)).toEqual([]);
    expect(check({ template: { apiVersion: 'v1', kind: 'Pod', status: {} } }, embedded)).toEqual(['template.status: unknown field "status" (known fields: spec)']);
  });
});

describe('validateAgainstSchema: values', () => {
  it('reports wrong types, missing required fields, enums, formats, bounds and patterns', () => {
    expect(check({ spec: { replicas: '2', mode: 'Manual' } }, spec)).toEqual([
      'spec.name: missing required field "name"',
      'spec.replicas: expected integer, got string "2"',
      'spec.mode: must be one of "Off", "Auto"; got "Manual"',
    ]);
    expect(check({ spec: { name: 'Abc', replicas: -1 } }, spec)).toEqual([
      'spec.name: "Abc" does not match the pattern ^[a-z]+$',
      'spec.replicas: -1 is less than the minimum 0',
    ]);
    expect(check({ spec: { name: 'a', replicas: 3_000_000_000 } }, spec)).toEqual(['spec.replicas: 3000000000 is out of range for int32 (-2147483648..2147483647)']);
  });

  it('accepts an integer or a string for int-or-string, and nothing else', () => {
    expect(check({ spec: { name: 'a', port: 8080 } }, spec)).toEqual([]);
    expect(check({ spec: { name: 'a', port: true } }, spec)).toEqual(['spec.port: expected an integer or a string, got boolean true']);
    expect(check(1.5, { type: 'string', format: 'int-or-string' }, 'builtin')).toEqual(['(object): expected an integer or a string, got number 1.5']);
  });

  it('rejects null unless nullable in a CRD; accepts it for built-ins (Go zero value)', () => {
    expect(check({ spec: { name: null } }, spec, 'crd')).toEqual(['spec.name: null is not allowed here (expected string; the field is not nullable)']);
    expect(check({ spec: { name: null } }, spec, 'builtin')).toEqual([]);
  });

  it('explains a failed oneOf of required fields', () => {
    const ref: OpenApiSchema = { type: 'object', properties: { port: { type: 'integer' }, portName: { type: 'string' } }, oneOf: [{ required: ['port'] }, { required: ['portName'] }] };
    expect(check({}, ref)).toEqual(['(object): must satisfy exactly one of: (fields "port" set) | (fields "portName" set)']);
    expect(check({ port: 1, portName: 'http' }, ref)).toEqual(['(object): must satisfy exactly one of: (fields "port" set) | (fields "portName" set); it satisfies 2']);
    expect(check({ port: 1 }, ref)).toEqual([]);
  });

  it('reports the failing alternative of a type-only oneOf (Quantity)', () => {
    const quantity: OpenApiSchema = { oneOf: [{ type: 'string', format: 'quantity' }, { type: 'number' }] };
    expect(check('128MiBB', quantity, 'builtin')).toEqual(['(object): "128MiBB" is not a Kubernetes quantity (e.g. 500m, 128Mi, 2, 1e3)']);
    expect(check(true, quantity, 'builtin')).toEqual(['(object): expected string or number, got boolean true']);
    expect(check('500m', quantity, 'builtin')).toEqual([]);
    expect(check(2, quantity, 'builtin')).toEqual([]);
  });

  it('rejects duplicate keys of a list-type map and duplicate items of a set', () => {
    const s: OpenApiSchema = {
      type: 'object',
      properties: {
        headers: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'string' } } } },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      },
    };
    expect(check({ headers: [{ name: 'a', value: '1' }, { name: 'a', value: '2' }], tags: ['x', 'y', 'x'] }, s)).toEqual([
      'headers[1]: duplicate entry: [1] has the same name as [0] (name="a")',
      'tags[2]: duplicate item: [2] equals [0] (the list is a set)',
    ]);
    expect(check({ headers: [{ name: 'a' }, { name: 'b' }], tags: ['x', 'y'] }, s)).toEqual([]);
  });

  it('follows $ref into definitions and reports an unresolvable one', () => {
    const definitions = { 'a.B': { type: 'object', properties: { c: { type: 'integer' } } } as OpenApiSchema };
    expect(check({ b: { c: 'x' } }, { type: 'object', properties: { b: { $ref: '#/definitions/a.B' } } }, 'builtin', definitions)).toEqual(['b.c: expected integer, got string "x"']);
    expect(check({ b: {} }, { type: 'object', properties: { b: { $ref: '#/definitions/missing' } } }, 'builtin')).toEqual(['b: schema error: cannot resolve $ref "#/definitions/missing"']);
  });

  it('counts CEL rules it is not asked to evaluate', () => {
    const s: OpenApiSchema = { type: 'object', properties: { a: { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.x > 0' }, { rule: 'true' }] } }, 'x-kubernetes-preserve-unknown-fields': true };
    expect(validateAgainstSchema({ a: {} }, s, { dialect: 'crd' }).unchecked).toEqual({ celRules: 2, celEvaluated: 0, celTransitions: 0, patterns: 0 });
    expect(validateAgainstSchema({}, s, { dialect: 'crd' }).unchecked).toEqual({ celRules: 0, celEvaluated: 0, celTransitions: 0, patterns: 0 });
  });

  it('translates RE2 flag groups, named groups and \\A/\\z; counts RE2-only patterns as unchecked instead of guessing', () => {
    expect(compilePattern('^(?i)(abort|warn)?$')?.test('Abort')).toBe(true); // prometheus-operator writes this
    expect(compilePattern('(?i)^(abort|warn)?$')?.test('WARN')).toBe(true);
    expect(compilePattern('^(abort|warn)?$')?.test('WARN')).toBe(false);
    expect(compilePattern('a(?i)b')).toBeNull(); // a flag group mid-pattern: RE2 allows it, JavaScript cannot
    expect(compilePattern('(?P<n>[a-z]+)')?.test('abc')).toBe(true);
    expect(compilePattern('\\A[a-z]+\\z')?.test('abc')).toBe(true);
    expect(compilePattern('\\A[a-z]+\\z')?.test('abc1')).toBe(false);
    expect(compilePattern('^[[:alpha:]]+$')).toBeNull();
    const s: OpenApiSchema = { type: 'object', properties: { mode: { type: 'string', pattern: '(?i)^(abort|warn)?$' }, x: { type: 'string', pattern: '^[[:digit:]]+$' } } };
    expect(check({ mode: 'WARN', x: 'abc' }, s)).toEqual([]);
    expect(check({ mode: 'skip' }, s)).toEqual(['mode: "skip" does not match the pattern (?i)^(abort|warn)?$']);
    expect(validateAgainstSchema({ x: 'abc' }, s, { dialect: 'crd' }).unchecked).toEqual({ celRules: 0, celEvaluated: 0, celTransitions: 0, patterns: 1 });
  });
});
