import { isCelError, run } from '@bufbuild/cel';
import { CelValueError, escapePropertyName, toCel } from '../../cli/conformance/cel-values';
import type { OpenApiSchema } from '../../cli/conformance/openapi-schema';

const schema: OpenApiSchema = {
  type: 'object',
  properties: {
    replicas: { type: 'integer' },
    weight: { type: 'number' },
    port: { 'x-kubernetes-int-or-string': true },
    timeout: { type: 'string', format: 'duration' },
    since: { type: 'string', format: 'date-time' },
    cert: { type: 'string', format: 'byte' },
    'x-forwarded-for': { type: 'string' },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
  },
};
const evaluate = (rule: string, value: Record<string, unknown>) => {
  const result = run(rule, { self: toCel(value, schema) });
  return isCelError(result) ? `error: ${result.message}` : result;
};

describe('JSON to CEL values, typed by the schema as the API server types them', () => {
  it('integer is int, number is double, int-or-string keeps its kind', () => {
    expect(evaluate('self.replicas == 3 && type(self.replicas) == int', { replicas: 3 })).toBe(true);
    expect(evaluate('type(self.weight) == double', { weight: 3 })).toBe(true);
    expect(evaluate('type(self.port) == string && type(self.port) != int', { port: 'http' })).toBe(true);
    expect(evaluate('type(self.port) == int', { port: 8080 })).toBe(true);
  });

  it('duration, date-time and byte formats become duration, timestamp and bytes; an unreadable one throws', () => {
    expect(evaluate("self.timeout > duration('1m') && self.since < timestamp('2030-01-01T00:00:00Z') && size(self.cert) == 3", { timeout: '1h30m', since: '2024-01-02T15:04:05Z', cert: 'YWJj\n' })).toBe(true);
    expect(evaluate("self.timeout > duration('2h')", { timeout: '1h30m' })).toBe(false);
    expect(() => toCel({ timeout: 'soon' }, schema)).toThrow(CelValueError);
  });

  it('escapes property names as CEL identifiers (pkg/cel/escaping.go); map keys stay as they are', () => {
    expect(escapePropertyName('x-forwarded-for')).toBe('x__dash__forwarded__dash__for');
    expect(escapePropertyName('namespace')).toBe('__namespace__');
    expect(escapePropertyName('a__b')).toBe('a__underscores__b');
    expect(escapePropertyName('1st')).toBeUndefined();
    expect(evaluate("self.x__dash__forwarded__dash__for == 'a' && self.__namespace__ == 'n' && self.labels['app.kubernetes.io/name'] == 'web'", {
      'x-forwarded-for': 'a',
      namespace: 'n',
      labels: { 'app.kubernetes.io/name': 'web' },
    })).toBe(true);
    expect(evaluate('has(self.x__dash__forwarded__dash__for)', {})).toBe(false);
  });

  it('a resource root shows only apiVersion, kind and metadata.name/generateName', () => {
    const root = toCel({ apiVersion: 'v1', kind: 'X', metadata: { name: 'a', namespace: 'n', labels: { a: 'b' } } }, { type: 'object', properties: { metadata: { type: 'object' } } }, undefined, true);
    expect(run("self.metadata.name == 'a' && !has(self.metadata.namespace) && self.kind == 'X'", { self: root })).toBe(true);
  });
});
