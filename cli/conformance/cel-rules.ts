/**
 * Evaluates a CRD's CEL rules (`x-kubernetes-validations`) the way the API server does on create,
 * with @bufbuild/cel: `self` is the value at the rule's schema node, typed by the schema
 * (cel-values.ts); the environment has the CEL standard library and the strings extension
 * (`split`, `upperAscii`, …: the API server's base environment adds ext.Strings,
 * kubernetes/apiserver@v0.34.1 pkg/cel/environment/base.go:123-129). Of the Kubernetes-specific
 * libraries (URLs, Regex, Lists, Quantity, IP, CIDR, Format, Sets, semver; base.go:75-190) the
 * pinned CRDs use none, so none is implemented: a rule calling one is reported as not evaluated.
 *
 * Transition rules (those using `oldSelf`) are skipped, as the API server skips them on create.
 * A rule whose worst-case cost exceeds the bound (cel-cost.ts) is not evaluated and says so.
 * `message`, `messageExpression`, `fieldPath` and `reason` shape the problem reported.
 */
import { celEnv, isCelError, parse, plan, type CelInput } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { costBound, Expr, extentOf, PER_OBJECT_COST_BUDGET, PER_RULE_COST_LIMIT, refersToOldSelf } from './cel-cost';
import { CelValueError, toCel } from './cel-values';
import type { FieldPath, FieldProblem } from './field-path';
import type { CelValidationRule, OpenApiSchema, UnevaluatedRule } from './openapi-types';

export type { CelValidationRule, UnevaluatedRule } from './openapi-types';

type Program = (bindings: Record<string, CelInput>) => unknown;
interface Compiled {
  readonly expr?: Expr;
  readonly program?: Program;
  readonly error?: string;
  readonly transition?: boolean;
}

// `message` of the API server's messageExpression results is capped (pkg/apis/cel/config.go:44).
const MAX_MESSAGE_BYTES = 5 * 1024;
const env = celEnv({ funcs: strings });
const compiled = new Map<string, Compiled>();

function compile(source: string): Compiled {
  let entry = compiled.get(source);
  if (entry) return entry;
  try {
    const parsed = parse(source);
    entry = { expr: parsed.expr, program: plan(env, parsed) as Program, transition: refersToOldSelf(parsed.expr) };
  } catch (err) {
    entry = { error: `does not compile: ${(err as Error).message}` };
  }
  compiled.set(source, entry);
  return entry;
}

// Errors that come from this evaluator lacking what the API server's environment has, rather
// than from the object: the rule is reported as not evaluated instead of failed.
const ENVIRONMENT_ERROR = /unbound function|no matching overload|unknown type|unsupported/i;

/** The reason's wording in the API server's field errors (k8s.io/apimachinery pkg/util/validation/field/errors.go). */
function reasonPrefix(reason: string | undefined): string {
  switch (reason) {
    case 'FieldValueForbidden':
      return 'Forbidden: ';
    case 'FieldValueRequired':
      return 'Required value: ';
    case 'FieldValueDuplicate':
      return 'Duplicate value: ';
    default:
      return 'Invalid value: ';
  }
}

/** `.spec.rules['x'][0]` → ['spec', 'rules', 'x', 0]; undefined when it is not such a path. */
export function parseFieldPath(fieldPath: string): FieldPath | undefined {
  const out: (string | number)[] = [];
  const token = /\.([A-Za-z_][A-Za-z0-9_-]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/y;
  let at = 0;
  while (at < fieldPath.length) {
    token.lastIndex = at;
    const m = token.exec(fieldPath);
    if (!m) return undefined;
    out.push(m[1] ?? (m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : Number(m[3])));
    at = token.lastIndex;
  }
  return out;
}

/**
 * The running cost of one object's rules (once spent: where, and how many rules were left), and
 * the object's values already converted for CEL (rules at every depth see the same subtrees).
 */
export interface CelBudget {
  remaining: number;
  spent?: { readonly path: FieldPath; skipped: number };
  readonly converted?: WeakMap<object, Map<OpenApiSchema | undefined, CelInput>>;
}

export function newCelBudget(): CelBudget {
  return { remaining: PER_OBJECT_COST_BUDGET, converted: new WeakMap() };
}

/**
 * The one entry that stands for every rule skipped once the object's budget was spent (the API
 * server, too, stops evaluating there: kubernetes/apiextensions-apiserver@v0.34.1
 * pkg/apiserver/schema/cel/validation.go:381, "running out of cost budget"), or undefined.
 */
export function budgetSummary(budget: CelBudget): UnevaluatedRule | undefined {
  if (!budget.spent) return undefined;
  const n = budget.spent.skipped;
  return {
    path: budget.spent.path,
    rule: `(${n} rule evaluation${n === 1 ? '' : 's'} from here on)`,
    why: `the object's CEL cost budget (${PER_OBJECT_COST_BUDGET}, the API server's RuntimeCELCostBudget) is spent by worst-case estimates; an object this costly may be refused by the API server for running out of budget`,
  };
}

export interface RulesOutcome {
  readonly problems: FieldProblem[];
  readonly unevaluated: UnevaluatedRule[];
  /** Rules evaluated (passed or failed). */
  readonly evaluated: number;
  /** Transition rules skipped on create. */
  readonly transitions: number;
}

/**
 * Evaluates the rules of one schema node against `value` (not null: the API server does not run
 * rules on absent or null values). `resourceRoot` for the document root and embedded resources.
 */
export function evaluateRules(
  rules: readonly CelValidationRule[],
  value: unknown,
  schema: OpenApiSchema,
  path: FieldPath,
  budget: CelBudget,
  resourceRoot: boolean,
): RulesOutcome {
  const outcome = { problems: [] as FieldProblem[], unevaluated: [] as UnevaluatedRule[], evaluated: 0, transitions: 0 };
  let self: CelInput | undefined;
  let extent: ReturnType<typeof extentOf> | undefined;
  for (const rule of rules) {
    const source = typeof rule.rule === 'string' ? rule.rule : '';
    const skip = (why: string) => outcome.unevaluated.push({ path: [...path], rule: source, why });
    if (source.trim() === '') {
      skip('the rule is empty');
      continue;
    }
    const program = compile(source);
    if (program.error !== undefined || !program.program) {
      skip(program.error ?? 'does not compile');
      continue;
    }
    if (program.transition) {
      if (rule.optionalOldSelf === true) skip('a transition rule with optionalOldSelf: evaluating it on create needs optional types, which this evaluator does not model');
      else outcome.transitions++;
      continue;
    }
    if (budget.spent) {
      budget.spent.skipped++;
      continue;
    }
    extent ??= extentOf(value);
    const cost = costBound(program.expr, extent);
    if (cost > PER_RULE_COST_LIMIT) {
      skip(`its worst-case cost over this value (${cost}) exceeds the per-rule bound ${PER_RULE_COST_LIMIT}`);
      continue;
    }
    if (cost > budget.remaining) {
      budget.spent = { path: [...path], skipped: 1 };
      continue;
    }
    budget.remaining -= cost;
    try {
      self ??= toCel(value, schema, budget.converted, resourceRoot);
    } catch (err) {
      // The schema check reports wrong types; a format this converter reads more narrowly than the
      // API server's (go-openapi strfmt durations like "1d") must not turn into a false refusal.
      if (!(err instanceof CelValueError)) throw err;
      skip(`the value cannot be given to CEL as the schema types it: ${err.message}`);
      continue;
    }
    const result = program.program({ self });
    if (isCelError(result)) {
      if (ENVIRONMENT_ERROR.test(result.message)) {
        skip(`the evaluator cannot run it: ${result.message}`);
        continue;
      }
      outcome.evaluated++;
      outcome.problems.push({ path: [...path], message: `Invalid value: CEL rule ${JSON.stringify(source)} failed to evaluate: ${result.message}` });
      continue;
    }
    if (typeof result !== 'boolean') {
      skip(`it returned ${typeof result}, not a bool`);
      continue;
    }
    outcome.evaluated++;
    if (result) continue;
    const at = rule.fieldPath !== undefined ? parseFieldPath(rule.fieldPath) : [];
    outcome.problems.push({ path: [...path, ...(at ?? [])], message: `${reasonPrefix(rule.reason)}${failureMessage(rule, source, self, extent)}` });
  }
  return outcome;
}

function failureMessage(rule: CelValidationRule, source: string, self: CelInput, extent: ReturnType<typeof extentOf>): string {
  if (typeof rule.messageExpression === 'string' && rule.messageExpression !== '') {
    const program = compile(rule.messageExpression);
    const cost = program.expr ? costBound(program.expr, extent) : Infinity;
    const text = program.program && cost <= PER_RULE_COST_LIMIT ? program.program({ self }) : undefined;
    if (typeof text === 'string' && text.trim() !== '' && Buffer.byteLength(text) <= MAX_MESSAGE_BYTES && !text.includes('\n')) return text;
  }
  if (typeof rule.message === 'string' && rule.message !== '') return rule.message;
  return `failed rule: ${source}`;
}
