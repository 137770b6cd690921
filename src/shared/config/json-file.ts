import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, existsSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';

/** What went wrong with a config file, shown in the log and in API responses. */
export interface FileProblem {
  file: string;
  error: string;
  /** Where the bad file was moved; it is never deleted or overwritten. */
  quarantinedAs?: string;
}

export type ReadResult<T> =
  | { status: 'missing' }
  | { status: 'ok'; value: T }
  | { status: 'corrupt'; problem: FileProblem };

/**
 * Writes JSON so that a crash leaves either the old or the new file, never half of one:
 * temp file in the same folder, fsync, rename over the target, fsync the folder.
 */
export function writeJsonAtomic(file: string, value: unknown, indent = 2): void {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const text = `${JSON.stringify(value, null, indent)}\n`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeFileSync(fd, text, 'utf8');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (err) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw err;
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename itself is still atomic.
  }
}

/** Moves a bad file aside as `<name>.corrupt-<timestamp>` so the user's data is kept for recovery. */
export function quarantineFile(file: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = `${file}.corrupt-${stamp}`;
  for (let i = 1; existsSync(target); i++) target = `${file}.corrupt-${stamp}-${i}`;
  renameSync(file, target);
  return target;
}

function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/**
 * Reads and validates a JSON file. Invalid JSON or a shape the schema refuses is quarantined, not reset:
 * the caller then starts from defaults and reports the problem.
 */
export function readJsonFile<T>(file: string, schema: z.ZodType<T>): ReadResult<T> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    return { status: 'corrupt', problem: { file, error: `cannot read: ${(err as Error).message}` } };
  }
  let error: string;
  try {
    const parsed = schema.safeParse(JSON.parse(text.replace(/^\uFEFF/, '')));
    if (parsed.success) return { status: 'ok', value: parsed.data };
    error = `invalid content: ${describeZodError(parsed.error)}`;
  } catch (err) {
    error = `invalid JSON: ${(err as Error).message}`;
  }
  const quarantinedAs = quarantineFile(file);
  return { status: 'corrupt', problem: { file, error, quarantinedAs } };
}
