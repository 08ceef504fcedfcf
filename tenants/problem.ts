/** One thing wrong with the tenant list, phrased so that a person can fix it without reading code. */
export interface Problem {
  /** The tenant's name, `defaults`, or `file`. */
  readonly tenant: string;
  /** Dotted path of the field, e.g. `scaling.max` (empty for the whole tenant or file). */
  readonly field: string;
  /** The offending value, as written (undefined when missing). */
  readonly value?: unknown;
  /** What is wrong. */
  readonly message: string;
  /** What would be accepted. */
  readonly allowed: string;
  /** How to fix it. */
  readonly fix: string;
  /** 1-based line of the value in the tenants file, when known. */
  readonly line?: number;
  /** 1-based column of the value in the tenants file, when known. */
  readonly column?: number;
  /** The position is in `defaults`: the tenant inherits the value from there. */
  readonly inDefaults?: boolean;
}

/** Longest rendering of a value in a message: a value is quoted so the reader can find it, not reprinted whole. */
export const VALUE_DISPLAY_MAX = 80;

/** Problems listed in one message; the rest are counted ("… and 1,234 more"), so the message fits a screen. */
export const PROBLEMS_SHOWN_MAX = 20;

/**
 * A value as a reader should see it: YAML's own spelling for numbers JSON cannot write (`.inf`,
 * `-.inf`, `.nan`), strings quoted, collections summarised, and anything longer than
 * `VALUE_DISPLAY_MAX` characters cut with its full length stated.
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length === 0 ? '{}' : `a mapping with ${keys.length} key${keys.length === 1 ? '' : 's'} (${truncate(keys.join(', '), 40)})`;
  }
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return truncate(text, VALUE_DISPLAY_MAX);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}… (${text.length.toLocaleString('en-US')} characters)`;
}

/**
 * The problem as JSON-safe data: a value JSON cannot write (`.inf`, `-.inf`, `.nan`, which
 * JSON.stringify would turn into null) is given in YAML's spelling, as a string.
 */
export function problemJson(p: Problem): Problem {
  return typeof p.value === 'number' && !Number.isFinite(p.value) ? { ...p, value: formatValue(p.value) } : p;
}

/** `line 12, column 5` when the problem has a position (`…, in defaults` when the tenant inherits the value). */
export function formatPosition(p: Pick<Problem, 'line' | 'column' | 'inDefaults'>): string {
  return p.line === undefined ? '' : `line ${p.line}, column ${p.column ?? 1}${p.inDefaults ? ', in defaults' : ''}`;
}

/** `tenant "ahmed"`, `defaults` or `file`. */
export function formatWho(p: Pick<Problem, 'tenant'>): string {
  return p.tenant === 'file' || p.tenant === 'defaults' ? p.tenant : `tenant "${p.tenant}"`;
}

/** Renders a problem as one line: `tenant "ahmed", field scaling.max (line 9, column 12) = 0: … (allowed: …; fix: …)`. */
export function formatProblem(p: Problem): string {
  const where = p.field ? `, field ${p.field}` : '';
  const position = p.line === undefined ? '' : ` (${formatPosition(p)})`;
  const value = p.value === undefined ? '' : ` = ${formatValue(p.value)}`;
  return `${formatWho(p)}${where}${position}${value}: ${p.message} (allowed: ${p.allowed}; fix: ${p.fix})`;
}

/** Names listed in one summary line; the rest are counted (`… 10,000 in all`), so the line stays short at any tenant count. */
export const NAMES_SHOWN_MAX = 10;

/**
 * A list for a summary line, bounded: every item when there are at most `max`, else the first
 * `max` and the count (`a, b, c, … 10,000 in all`). The one helper every command's summary uses;
 * the full list belongs in `--format json`.
 */
export function boundedList(items: readonly string[], max: number = NAMES_SHOWN_MAX): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')}, … ${items.length.toLocaleString('en-US')} in all`;
}

/** The first `max` lines and a line counting the others (undefined when all are shown). */
export function boundedLines(lines: readonly string[], max: number, more: (rest: number) => string): { shown: readonly string[]; more?: string } {
  return lines.length <= max ? { shown: lines } : { shown: lines.slice(0, max), more: more(lines.length - max) };
}

/** The first `PROBLEMS_SHOWN_MAX` problems, and a line counting the others (or undefined when all are shown). */
export function shownProblems(problems: readonly Problem[]): { shown: readonly Problem[]; more?: string } {
  if (problems.length <= PROBLEMS_SHOWN_MAX) return { shown: problems };
  const rest = problems.length - PROBLEMS_SHOWN_MAX;
  return { shown: problems.slice(0, PROBLEMS_SHOWN_MAX), more: `… and ${rest.toLocaleString('en-US')} more problem${rest === 1 ? '' : 's'} (fix these first)` };
}

/** The three lines a CLI prints for a problem: who, field, position, value and message; allowed; fix. */
export function problemLines(p: Problem, style: { bold: (s: string) => string; cyan: (s: string) => string } = { bold: (s) => s, cyan: (s) => s }): string[] {
  const position = p.line === undefined ? '' : ` (${formatPosition(p)})`;
  const value = p.value === undefined ? '' : ` = ${formatValue(p.value)}`;
  return [`  ${style.bold(formatWho(p))}${p.field ? ` ${style.cyan(p.field)}` : ''}${position}${value}: ${p.message}`, `      allowed: ${p.allowed}`, `      fix:     ${p.fix}`];
}

/** Thrown when the tenant list has problems; carries all of them (the message lists the first few). */
export class TenantListError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly Problem[],
  ) {
    const { shown, more } = shownProblems(problems);
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing was written:\n` +
        shown.map((p) => `  - ${formatProblem(p)}`).join('\n') +
        (more ? `\n  ${more}` : ''),
    );
    this.name = 'TenantListError';
  }
}
