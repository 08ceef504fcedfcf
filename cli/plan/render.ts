/**
 * Renderings of a plan: human (terminal, color only when given colors), Markdown (a pull-request
 * comment, bounded to GitHub's comment size) and JSON (stable keys, for scripts). Pure: a plan
 * in, a string out.
 */
import pc from 'picocolors';
import { formatProblem, Problem, problemJson, problemLines, shownProblems } from '../../tenants/problem';
import { CostDelta, costLines } from './cost';
import { describeRef, ObjectChange } from './diff';
import { formatFieldChange, Plan, planExitCode, PlanViolation, summaryLine, TenantPlan } from './plan';

export type Colors = ReturnType<typeof pc.createColors>;

/** Where the two sides of the plan come from. */
export interface PlanContext {
  /** The tenants file, relative to the repository root. */
  readonly file: string;
  /** The base commit (full SHA), undefined when there is none (empty repository). */
  readonly baseCommit?: string;
  /** How the base was chosen: `merge base of HEAD and main`, `origin/main`, … */
  readonly baseDescription: string;
  /** True when the file does not exist at the base (every tenant is new). */
  readonly baseMissing: boolean;
  /** What the new side is: `working tree`. */
  readonly head: string;
  /** Cost and wake delta of the change (simulate/), when computed. */
  readonly cost?: CostDelta;
  /**
   * The platform the objects are built for: `stack prod (Pulumi.prod.yaml)` with --stack (exactly
   * what pulumi up applies), or the built-in platform and how it differs from the stacks here.
   * @default undefined (not said)
   */
  readonly platform?: { readonly stack?: string; readonly warnings: readonly string[] };
}

/** The one line saying which platform the plan's objects are built for. */
function platformLine(context: PlanContext): string | undefined {
  if (!context.platform) return undefined;
  return context.platform.stack ? `platform: stack ${context.platform.stack} (its Pulumi.${context.platform.stack}.yaml: what pulumi up applies)` : 'platform: the built-in one (no --stack)';
}

/** Exit-code explanations, shared by every format and `--help`. */
export const EXIT_MEANINGS: Record<0 | 1 | 2, string> = {
  0: 'no change, or only safe changes',
  1: 'error: a tenant list (base or new) is invalid, Git failed, or the new state breaks a mandatory policy rule',
  2: 'destructive change: a tenant or object is deleted or replaced',
};

const ACTION_SIGN: Record<ObjectChange['action'], string> = { create: '+', delete: '-', update: '~', replace: '±' };
const STATUS_SIGN: Record<TenantPlan['status'], string> = { added: '+', removed: '-', changed: '~' };

function shortSha(commit: string | undefined): string {
  return commit === undefined ? '(none)' : commit.slice(0, 12);
}

/** `11 to create, 2 to update` (actions with a count of zero left out). */
function countsText(counts: Record<ObjectChange['action'], number>, none: string): string {
  const parts = (['create', 'update', 'replace', 'delete'] as const).filter((a) => counts[a] > 0).map((a) => `${counts[a]} to ${a}`);
  return parts.length > 0 ? parts.join(', ') : none;
}

function objectCounts(plan: Plan): string {
  return countsText(plan.summary.objects, 'no object changes');
}

function tenantCounts(t: TenantPlan): string {
  const counts = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const o of t.objects) counts[o.action]++;
  return countsText(counts, 'objects unchanged');
}

/** Lines describing one tenant's changes, without color: shared by human and Markdown output. */
export function tenantLines(t: TenantPlan, maxValue = 200): string[] {
  const lines: string[] = [];
  if (t.spec.length > 0) {
    lines.push('tenant entry (defaults merged):');
    for (const c of t.spec) lines.push(`    ${formatFieldChange(c, maxValue)}`);
  }
  for (const o of t.objects) {
    if (o.action !== 'update') {
      lines.push(`${ACTION_SIGN[o.action]} ${describeRef(o.object)}${o.action === 'replace' ? ` (replaced: ${(o.immutable ?? []).join(', ')} cannot change in place)` : ''}`);
    }
    for (const c of o.changes) lines.push(`~ ${describeRef(o.object)} ${formatFieldChange(c, maxValue)}`);
  }
  return lines;
}

function violationLine(v: PlanViolation): string {
  const where = v.namespace ? `${v.kind} ${v.namespace}/${v.name}` : `${v.kind} ${v.name}`;
  return `${v.level} ${v.rule}: ${where}: ${v.message} (fix: ${v.fix})`;
}

function policyScopeText(plan: Plan): string {
  const n = plan.policy.objects;
  if (n === 0 && plan.policy.scope === 'touched') return 'no added or changed tenant to check';
  const objects = `${n} object${n === 1 ? '' : 's'}`;
  return plan.policy.scope === 'all' ? `all ${objects}` : `${objects} of the added and changed tenants`;
}

/** Violations worth listing: every mandatory one, and advisory ones of tenants this change touches. */
function listedViolations(plan: Plan): { listed: PlanViolation[]; hidden: number } {
  const listed = plan.policy.violations.filter((v) => v.level === 'mandatory' || v.touched || v.tenant === undefined);
  return { listed, hidden: plan.policy.violations.length - listed.length };
}

/** Terminal rendering. Pass `pc.createColors(false)` for plain text. */
export function renderHuman(plan: Plan, context: PlanContext, c: Colors = pc.createColors(false)): string {
  const out: string[] = [];
  out.push(c.bold(`tenantscale plan: ${context.file}`));
  out.push(`  base: ${shortSha(context.baseCommit)} (${context.baseDescription})${context.baseMissing ? ', file absent there: every tenant is new' : ''}`);
  out.push(`  new:  ${context.head}`);
  const platform = platformLine(context);
  if (platform) out.push(`  ${platform}`);
  for (const w of context.platform?.warnings ?? []) out.push(`  ${c.yellow(w)}`);
  out.push(`  ${summaryLine(plan)} · ${objectCounts(plan)}`);
  for (const t of plan.tenants) {
    const color = t.status === 'added' ? c.green : t.status === 'removed' ? c.red : c.yellow;
    out.push('');
    out.push(color(`${STATUS_SIGN[t.status]} ${c.bold(t.name)}  (${t.status}: ${tenantCounts(t)})`));
    for (const line of tenantLines(t)) {
      const sign = line[0];
      const paint = sign === '+' ? c.green : sign === '-' || sign === '±' ? c.red : sign === '~' ? c.yellow : sign === ' ' ? (x: string) => x : c.dim;
      out.push(`    ${paint(line)}`);
    }
  }
  if (plan.warnings.length > 0) {
    out.push('', c.bold('Warnings'));
    for (const w of plan.warnings) {
      const tag = w.severity === 'destructive' ? c.red('✗ destructive') : c.yellow('! caution    ');
      out.push(`  ${tag}  ${c.bold(w.tenant)}: ${w.message}`);
      out.push(`                    fix: ${w.fix}`);
    }
  }
  if (context.cost) {
    out.push('', c.bold('Cost and wakes (before → after)'));
    for (const line of costLines(context.cost)) out.push(`  ${line}`);
  }
  out.push('');
  if (!plan.policy.evaluated) {
    out.push(c.dim(`Policy: not evaluated (${plan.policy.reason})`));
  } else {
    const p = plan.policy;
    out.push(c.bold(`Policy (new state, ${policyScopeText(plan)}): ${p.mandatory} mandatory, ${p.advisory} advisory`));
    const { listed, hidden } = listedViolations(plan);
    for (const v of listed) out.push(`  ${v.level === 'mandatory' ? c.red('✗') : c.yellow('!')} ${v.tenant ? `${v.tenant}: ` : ''}${violationLine(v)}`);
    if (hidden > 0) out.push(c.dim(`  … ${hidden} advisory finding${hidden === 1 ? '' : 's'} in tenants this change does not touch (see --format json)`));
  }
  out.push('');
  out.push(verdict(plan, c));
  return `${out.join('\n')}\n`;
}

function verdict(plan: Plan, c: Colors): string {
  const code = planExitCode(plan);
  if (code === 1) return c.red(`✗ the new state breaks ${plan.policy.mandatory} mandatory policy rule${plan.policy.mandatory === 1 ? '' : 's'} (exit 1)`);
  if (code === 2) return c.red(`✗ destructive change: review the warnings above (exit 2)`);
  const s = plan.summary;
  return s.added + s.removed + s.changed === 0 ? c.green('✓ no change (exit 0)') : c.green('✓ safe change (exit 0)');
}

/** A code fence longer than any run of backticks in the text. */
function fence(text: string, info = ''): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(longest + 1);
  return `${f}${info}\n${text}\n${f}`;
}

function mdEscape(text: string): string {
  return text.replace(/[|<>*_`[\]\\]/g, (ch) => `\\${ch}`);
}

export interface MarkdownOptions {
  /**
   * Largest comment produced, in characters; tenant details beyond it are summarized (GitHub
   * refuses comments over 65,536 characters).
   * @default 60000
   */
  readonly maxLength?: number;
}

/** HTML comment identifying the comment, for tools that update it in place. */
export const MARKDOWN_MARKER = '<!-- tenantscale-plan -->';

/** Pull-request comment rendering. */
export function renderMarkdown(plan: Plan, context: PlanContext, options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? 60000;
  const code = planExitCode(plan);
  const s = plan.summary;
  const head: string[] = [MARKDOWN_MARKER, '## tenantscale plan', ''];
  head.push(
    `\`${context.file}\` at base \`${shortSha(context.baseCommit)}\` (${mdEscape(context.baseDescription)}) → ${mdEscape(context.head)}` +
      (context.baseMissing ? ' — the file is new: every tenant is added' : ''),
    '',
    ...(platformLine(context) ? [mdEscape(platformLine(context)!), ''] : []),
    ...((context.platform?.warnings.length ?? 0) > 0 ? ['> [!WARNING]', ...context.platform!.warnings.map((w) => `> ${mdEscape(w)}`), ''] : []),
    `**${s.added} added, ${s.removed} removed, ${s.changed} changed**, ${s.unchanged} unchanged · ${objectCounts(plan)}`,
    '',
  );
  if (code === 2) head.push('> [!CAUTION]', '> **Destructive change**: this deletes or replaces resources. Read the warnings before merging.', '');
  if (code === 1) head.push('> [!CAUTION]', `> **The new state breaks ${plan.policy.mandatory} mandatory policy rule${plan.policy.mandatory === 1 ? '' : 's'}**: the deployment would be refused.`, '');
  if (plan.tenants.length === 0) head.push('No tenant changes.', '');

  if (plan.warnings.length > 0) {
    head.push('### Warnings', '');
    for (const w of plan.warnings) {
      head.push(`- ${w.severity === 'destructive' ? '🛑 **destructive**' : '⚠️ caution'} · \`${w.tenant}\`: ${mdEscape(w.message)}<br>fix: ${mdEscape(w.fix)}`);
    }
    head.push('');
  }

  const tail: string[] = [];
  if (context.cost) {
    tail.push('### Cost and wakes (before → after)', '');
    const [first, ...rest] = costLines(context.cost);
    tail.push(mdEscape(first), '');
    for (const line of rest) tail.push(`- ${mdEscape(line.trim())}`);
    tail.push('');
  }
  tail.push('### Policy (new state)', '');
  if (!plan.policy.evaluated) tail.push(`Not evaluated: ${mdEscape(plan.policy.reason ?? '')}.`, '');
  else {
    const p = plan.policy;
    const scope = policyScopeText(plan);
    tail.push(`${scope[0].toUpperCase()}${scope.slice(1)}: **${p.mandatory} mandatory**, ${p.advisory} advisory.`, '');
    const { listed, hidden } = listedViolations(plan);
    const shown = listed.slice(0, 50);
    for (const v of shown) tail.push(`- ${v.level === 'mandatory' ? '🛑' : '⚠️'} ${v.tenant ? `\`${v.tenant}\` ` : ''}${mdEscape(violationLine(v))}`);
    if (listed.length > shown.length) tail.push(`- … ${listed.length - shown.length} more (run \`tenantscale plan --format json\`)`);
    if (hidden > 0) tail.push(`- ${hidden} advisory finding${hidden === 1 ? '' : 's'} in tenants this change does not touch`);
    if (shown.length > 0 || hidden > 0) tail.push('');
  }
  tail.push(`<sub>Exit ${code}: ${EXIT_MEANINGS[code]}. Offline plan: no cluster or credentials involved.</sub>`, '');

  const body: string[] = [];
  if (plan.tenants.length > 0) {
    const rows = plan.tenants.slice(0, 200);
    body.push('### Tenants', '', '| | Tenant | Change | Objects |', '|---|---|---|---|');
    for (const t of rows) body.push(`| ${t.status === 'added' ? '➕' : t.status === 'removed' ? '➖' : '✏️'} | \`${t.name}\` | ${t.status} | ${tenantCounts(t)} |`);
    if (plan.tenants.length > rows.length) body.push(`| | … | ${plan.tenants.length - rows.length} more | |`);
    body.push('', '### Details', '');
  }
  const budget = maxLength - [...head, ...tail, ...body].join('\n').length - 200;
  let used = 0;
  let omitted = 0;
  for (const t of plan.tenants) {
    const open = t.status === 'changed' ? ' open' : '';
    const section = [`<details${open}><summary>${STATUS_SIGN[t.status]} <code>${t.name}</code>: ${t.status} (${tenantCounts(t)})</summary>`, '', fence(tenantLines(t, 120).join('\n'), 'diff'), '', '</details>', ''].join('\n');
    if (used + section.length > budget) {
      omitted++;
      continue;
    }
    used += section.length + 1;
    body.push(section);
  }
  if (omitted > 0) body.push(`… details of ${omitted} tenant${omitted === 1 ? '' : 's'} left out to fit a comment; run \`npx tenantscale plan\` locally for all of them.`, '');
  return `${[...head, ...body, ...tail].join('\n').trimEnd()}\n`;
}

/** JSON rendering: stable key order, `old`/`new` left out when absent. */
export function renderJson(plan: Plan, context: PlanContext): string {
  const code = planExitCode(plan);
  return `${JSON.stringify(
    {
      file: context.file,
      base: { commit: context.baseCommit ?? null, description: context.baseDescription, fileMissing: context.baseMissing },
      head: context.head,
      ...(context.platform ? { platform: { stack: context.platform.stack ?? null, warnings: context.platform.warnings } } : {}),
      exitCode: code,
      exitMeaning: EXIT_MEANINGS[code],
      destructive: plan.destructive,
      summary: plan.summary,
      tenants: plan.tenants,
      warnings: plan.warnings,
      policy: plan.policy,
      ...(context.cost ? { cost: context.cost } : {}),
    },
    null,
    2,
  )}\n`;
}

/** A plan that could not be computed: an invalid list at one side, or a Git failure. */
export interface PlanFailure {
  /** `base 1a2b3c4d5e6f` or `working tree`; absent for Git failures. */
  readonly side?: string;
  readonly file: string;
  readonly problems: readonly Problem[];
  /** A Git or I/O failure instead of list problems. */
  readonly message?: string;
}

export function renderFailureHuman(f: PlanFailure, c: Colors = pc.createColors(false)): string {
  if (f.message !== undefined) return `${c.red(`✗ tenantscale plan: ${f.message}`)}\n`;
  const lines = [c.red(`✗ ${f.file} at ${f.side}: ${f.problems.length} problem${f.problems.length === 1 ? '' : 's'}; no plan computed (exit 1)`)];
  const { shown, more } = shownProblems(f.problems);
  for (const p of shown) lines.push(...problemLines(p, c));
  if (more) lines.push(`  ${more}`);
  return `${lines.join('\n')}\n`;
}

export function renderFailureMarkdown(f: PlanFailure): string {
  const lines = [MARKDOWN_MARKER, '## tenantscale plan', '', '> [!CAUTION]'];
  if (f.message !== undefined) {
    lines.push(`> **No plan**: ${mdEscape(f.message)}`);
  } else {
    lines.push(`> **\`${f.file}\` at ${mdEscape(f.side ?? '')} is invalid** (${f.problems.length} problem${f.problems.length === 1 ? '' : 's'}); no plan computed.`, '');
    const { shown, more } = shownProblems(f.problems);
    for (const p of shown) lines.push(`- ${mdEscape(formatProblem(p))}`);
    if (more) lines.push(`- ${mdEscape(more)}`);
  }
  lines.push('', `<sub>Exit 1: ${EXIT_MEANINGS[1]}.</sub>`);
  return `${lines.join('\n')}\n`;
}

export function renderFailureJson(f: PlanFailure): string {
  return `${JSON.stringify(
    { file: f.file, exitCode: 1, exitMeaning: EXIT_MEANINGS[1], error: { side: f.side ?? null, message: f.message ?? null, problems: f.problems.map(problemJson) } },
    null,
    2,
  )}\n`;
}
