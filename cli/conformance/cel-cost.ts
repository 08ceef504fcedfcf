/**
 * A worst-case cost bound for one CEL expression over one value, computed before evaluating it, so
 * that hostile input (long lists under nested comprehensions) cannot make `validate` hang. The
 * API server tracks the actual cost while evaluating and stops a rule at 1,000,000 units and an
 * object's rules at 10,000,000 (kubernetes/apiserver@v0.34.1 pkg/apis/cel/config.go:22 PerCallLimit,
 * :26 RuntimeCELCostBudget); @bufbuild/cel has no cost tracking, so this bound stands in: every AST
 * node costs 1, a comprehension costs its range size times its body, a string function costs the
 * longest string. It only ever over-estimates.
 */
import type { parse } from '@bufbuild/cel';
import { isPlainObject } from './field-path';

/** A parsed CEL expression. */
export type Expr = ReturnType<typeof parse>['expr'];

export const PER_RULE_COST_LIMIT = 1_000_000;
export const PER_OBJECT_COST_BUDGET = 10_000_000;

/** The largest collection and the longest string in a JSON value. */
export interface ValueExtent {
  readonly items: number;
  readonly chars: number;
}

export function extentOf(value: unknown, depth = 0): ValueExtent {
  if (typeof value === 'string') return { items: 0, chars: value.length };
  if (depth > 64 || value === null || typeof value !== 'object') return { items: 0, chars: 0 };
  const children = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : [];
  let items = children.length;
  let chars = isPlainObject(value) ? Math.max(0, ...Object.keys(value).map((k) => k.length)) : 0;
  for (const child of children) {
    const e = extentOf(child, depth + 1);
    items = Math.max(items, e.items);
    chars = Math.max(chars, e.chars);
  }
  return { items, chars };
}

const STRING_FUNCTIONS = new Set(['matches', 'contains', 'startsWith', 'endsWith', 'split', 'replace', 'indexOf', 'lastIndexOf', 'lowerAscii', 'upperAscii', 'trim', 'substring', 'join', 'charAt', 'format', 'string', 'bytes', '_+_']);

function usesSplit(expr: Expr | undefined): boolean {
  if (!expr) return false;
  const k = expr.exprKind;
  if (k.case === 'callExpr') return k.value.function === 'split' || usesSplit(k.value.target) || k.value.args.some(usesSplit);
  if (k.case === 'selectExpr') return usesSplit(k.value.operand);
  return false;
}

/** The cost bound of `expr` when the data has the given extent. */
export function costBound(expr: Expr | undefined, extent: ValueExtent): number {
  if (!expr) return 0;
  const k = expr.exprKind;
  switch (k.case) {
    case 'selectExpr':
      return 1 + costBound(k.value.operand, extent);
    case 'callExpr': {
      const own = STRING_FUNCTIONS.has(k.value.function) ? 1 + extent.chars : 1;
      return own + costBound(k.value.target, extent) + k.value.args.reduce((sum, a) => sum + costBound(a, extent), 0);
    }
    case 'listExpr':
      return 1 + k.value.elements.reduce((sum, e) => sum + costBound(e, extent), 0);
    case 'structExpr':
      return 1 + k.value.entries.reduce((sum, e) => sum + costBound(e.keyKind.case === 'mapKey' ? e.keyKind.value : undefined, extent) + costBound(e.value, extent), 0);
    case 'comprehensionExpr': {
      const c = k.value;
      const n = Math.max(extent.items, usesSplit(c.iterRange) ? extent.chars + 1 : 0);
      return costBound(c.iterRange, extent) + costBound(c.accuInit, extent) + n * (1 + costBound(c.loopCondition, extent) + costBound(c.loopStep, extent)) + costBound(c.result, extent);
    }
    default:
      return 1;
  }
}

/** True when the expression refers to `oldSelf` (a transition rule). */
export function refersToOldSelf(expr: Expr | undefined): boolean {
  if (!expr) return false;
  const k = expr.exprKind;
  switch (k.case) {
    case 'identExpr':
      return k.value.name === 'oldSelf';
    case 'selectExpr':
      return refersToOldSelf(k.value.operand);
    case 'callExpr':
      return refersToOldSelf(k.value.target) || k.value.args.some(refersToOldSelf);
    case 'listExpr':
      return k.value.elements.some(refersToOldSelf);
    case 'structExpr':
      return k.value.entries.some((e) => refersToOldSelf(e.value) || (e.keyKind.case === 'mapKey' && refersToOldSelf(e.keyKind.value)));
    case 'comprehensionExpr':
      return [k.value.iterRange, k.value.accuInit, k.value.loopCondition, k.value.loopStep, k.value.result].some(refersToOldSelf);
    default:
      return false;
  }
}
