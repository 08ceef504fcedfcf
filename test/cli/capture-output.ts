import pc from 'picocolors';
import type { Output } from '../../cli/output';

/** An Output that records what a command prints, without color: info in `stdout`, warnings and errors in `stderr`. */
export function captureOutput(): Output & { stdout: string[]; stderr: string[]; text(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    info: (line) => stdout.push(line),
    warn: (line) => stderr.push(line),
    error: (line) => stderr.push(line),
    color: pc.createColors(false) as typeof pc,
    text: () => [...stdout, ...stderr].join('\n'),
  };
}
