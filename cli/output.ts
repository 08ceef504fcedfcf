/**
 * Terminal output shared by every command: color only when stdout is a terminal (or FORCE_COLOR
 * is set; NO_COLOR turns it off), nothing but errors under --quiet. picocolors' own default also
 * colors whenever a `CI` variable exists, which would put escape codes into CI logs and into
 * output piped to files.
 */
import pc from 'picocolors';

export interface Output {
  /** A normal line (suppressed by --quiet). */
  info(line: string): void;
  /** A warning line on stderr (suppressed by --quiet). */
  warn(line: string): void;
  /** An error line on stderr (always shown). */
  error(line: string): void;
  readonly color: ReturnType<typeof pc.createColors>;
}

/** Whether to color output: FORCE_COLOR wins, then NO_COLOR, then "is stdout a terminal". */
export function colorEnabled(env: NodeJS.ProcessEnv = process.env, isTTY: boolean = process.stdout.isTTY === true): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY && env.TERM !== 'dumb';
}

export function createOutput(options: { quiet?: boolean; color?: boolean } = {}): Output {
  const quiet = options.quiet ?? false;
  const color = options.color ?? colorEnabled();
  return {
    info: (line) => {
      if (!quiet) process.stdout.write(`${line}\n`);
    },
    warn: (line) => {
      if (!quiet) process.stderr.write(`${line}\n`);
    },
    error: (line) => process.stderr.write(`${line}\n`),
    color: pc.createColors(color),
  };
}

/** Exit codes shared by every command. */
export const EXIT = {
  /** Success (for `plan`: no change or only safe changes). */
  OK: 0,
  /** Invalid input, a mandatory policy violation, or a failed check. */
  FAILED: 1,
  /** `plan` only: the change deletes or replaces resources. */
  DESTRUCTIVE: 2,
} as const;
