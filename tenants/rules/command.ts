/**
 * `command` and `args` of the app container. Kubernetes hands each list entry to the runtime as
 * one argument, with no shell: `command: "python -m worker"` would be one program name with two
 * spaces in it. Entries are strings; a YAML number or boolean would reach the process re-printed
 * (`3.10` → "3.1"), and a NUL byte cannot be passed at all: argv entries are C strings, and the
 * Go runtimes that start containers convert each with ByteSliceFromString, which returns EINVAL
 * for a string holding NUL (golang/sys@v0.8.0 unix/syscall.go:34-41).
 */
import type { Problem } from '../problem';

/** The argv fields. */
export type ArgvField = 'command' | 'args';

/** A shell-style example of the list form of `text`: `python -m worker` → `[python, -m, worker]`. */
function asList(text: string): string {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  // Quoted when YAML would read it as anything but a string (numbers, booleans, null) or it holds flow syntax.
  const plain = (w: string) => /^[A-Za-z0-9_./=-]+$/.test(w) && !/^[-+]?\.?[0-9]/.test(w) && !/^(true|false|yes|no|on|off|null|y|n|~)$/i.test(w);
  return `[${words.map((w) => (plain(w) ? w : JSON.stringify(w))).join(', ')}]`;
}

/**
 * The problem of `command` or `args` written as one string instead of a list, or undefined.
 * Pure.
 */
export function argvShapeProblem(tenant: string, field: ArgvField, value: unknown): Problem | undefined {
  if (typeof value !== 'string') return undefined;
  return {
    tenant,
    field,
    value,
    message: `${field} is a single string; Kubernetes runs no shell, so it would be one argument (spaces included)`,
    allowed: 'a list of strings, one entry per argument',
    fix: `write it as a list: ${field}: ${asList(value)}${/[|&;<>$`]/.test(value) ? ' (for shell syntax use [sh, -c, "<line>"], if the image has a shell)' : ''}`,
  };
}

/**
 * An entry written as a YAML number, boolean or null: refused with the text as written, quoted.
 * `sourceText` is the entry's text in the file, when known. Pure.
 */
export function argvItemProblem(tenant: string, field: ArgvField, index: number, value: unknown, sourceText?: string): Problem | undefined {
  if (typeof value === 'string' || (typeof value === 'object' && value !== null)) return undefined;
  const written = sourceText !== undefined && sourceText.trim() !== '' ? sourceText.trim() : value === null ? '' : String(value);
  const kind = value === null ? 'null (no value)' : typeof value === 'boolean' ? 'a boolean' : 'a number';
  return {
    tenant,
    field: `${field}.${index}`,
    value: written === '' ? null : written,
    message: `YAML reads this as ${kind}, not text; the process would get ${value === null ? 'nothing' : JSON.stringify(String(value))}${written !== '' && written !== String(value) ? ` instead of "${written}"` : ''}`,
    allowed: 'a string (quote numbers and booleans)',
    fix: `quote it: ${JSON.stringify(written)}`,
  };
}

/** Problems of entries holding a NUL byte, which no process can receive as an argument. Pure. */
export function argvNulProblems(tenant: string, field: ArgvField, list: readonly unknown[]): Problem[] {
  return list.flatMap((entry, i) =>
    typeof entry === 'string' && entry.includes('\u0000')
      ? [
          {
            tenant,
            field: `${field}.${i}`,
            value: entry,
            message: 'the entry holds a NUL character (\\0); process arguments are C strings, so the container runtime cannot start it',
            allowed: 'strings without NUL characters',
            fix: 'remove the \\0 (pass binary data through a Secret mounted as a file instead)',
          },
        ]
      : [],
  );
}
