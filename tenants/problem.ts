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
}

/** Renders a problem as one line: `tenant "ahmed", field scaling.max = 0: … (allowed: …; fix: …)`. */
export function formatProblem(p: Problem): string {
  const who = p.tenant === 'file' || p.tenant === 'defaults' ? p.tenant : `tenant "${p.tenant}"`;
  const where = p.field ? `, field ${p.field}` : '';
  const value = p.value === undefined ? '' : ` = ${JSON.stringify(p.value)}`;
  return `${who}${where}${value}: ${p.message} (allowed: ${p.allowed}; fix: ${p.fix})`;
}

/** Thrown when the tenant list has problems; carries all of them. */
export class TenantListError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly Problem[],
  ) {
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing was written:\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join('\n'),
    );
    this.name = 'TenantListError';
  }
}
