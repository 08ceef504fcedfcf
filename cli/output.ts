/**
 * Terminal output shared by every command: color only on a terminal (picocolors honours
 * NO_COLOR and FORCE_COLOR), nothing but errors under --quiet.
 */
import pc from 'picocolors';

export interface Output {
  /** A normal line (suppressed by --quiet). */
  info(line: string): void;
  /** A warning line on stderr (suppressed by --quiet). */
  warn(line: string): void;
  /** An error line on stderr (always shown). */
  error(line: string): void;
  readonly color: typeof pc;
}

export function createOutput(options: { quiet?: boolean } = {}): Output {
  const quiet = options.quiet ?? false;
  return {
    info: (line) => {
      if (!quiet) process.stdout.write(`${line}\n`);
    },
    warn: (line) => {
      if (!quiet) process.stderr.write(`${line}\n`);
    },
    error: (line) => process.stderr.write(`${line}\n`),
    color: pc,
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
