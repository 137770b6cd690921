import { randomBytes } from 'node:crypto';
import { link, mkdir, open, realpath, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { badRequest } from '../../shared/errors.js';
import { isInside } from '../avatar/asset-files.js';
import { tooLarge } from './too-large.js';

export interface SingleFileUpload {
  /** Destination folder (created if missing). */
  dir: string;
  /** The folder `dir` must resolve inside (symlinks included). */
  root: string;
  /** Final file name; must already be a plain base name (see `uploadFileName`). */
  filename: string;
  chunks: AsyncIterable<Buffer | Uint8Array>;
  maxBytes: number;
  what: string;
  /** Refusal message when the file exists; uploads never overwrite. */
  existsMessage: string;
  /** Checks the first bytes (file signature); returns a refusal message. */
  checkHead?: { bytes: number; check: (head: Buffer) => string | undefined };
  /** Checks the complete file before it becomes visible; returns a refusal message. */
  checkFile?: (path: string) => Promise<string | undefined>;
}

/** The base name of an uploaded file, or a 400: no folders, no dot-files, no control characters. */
export function uploadFileName(raw: string | undefined, ext: RegExp, typeMessage: string): string {
  const name = (raw ?? '').split(/[\\/]/).pop()!.trim();
  if (!name || !ext.test(name)) throw badRequest(typeMessage, 'INVALID_FILE_TYPE');
  if (name.startsWith('.') || /[\u0000-\u001f<>:"|?*]/.test(name) || name.length > 200) throw badRequest(`非法文件名: ${name}`, 'INVALID_FILE_NAME');
  return name;
}

/**
 * Streams an upload into a hidden temporary file beside its destination, counting bytes (413 past the cap)
 * and checking its signature as soon as the head has arrived, then hard-links it under the final name —
 * which fails if that name exists, so an upload never replaces a file — and removes the temporary one.
 */
export async function saveUploadedFile(u: SingleFileUpload): Promise<{ path: string; size: number }> {
  await mkdir(u.dir, { recursive: true });
  if (!isInside(await realpath(u.root), await realpath(u.dir))) throw badRequest('非法文件路径 (upload folder escapes its root)', 'INVALID_PATH');
  const tmp = join(u.dir, `.upload-${randomBytes(6).toString('hex')}.part`);
  const final = join(u.dir, u.filename);
  const handle = await open(tmp, 'wx');
  let size = 0;
  try {
    const head: Buffer[] = [];
    let headChecked = !u.checkHead;
    try {
      for await (const chunk of u.chunks) {
        size += chunk.length;
        if (size > u.maxBytes) throw tooLarge(u.what, u.maxBytes);
        if (!headChecked) {
          head.push(Buffer.from(chunk));
          const got = Buffer.concat(head);
          if (got.length >= u.checkHead!.bytes) {
            const problem = u.checkHead!.check(got);
            if (problem) throw badRequest(problem, 'INVALID_FILE_CONTENT');
            headChecked = true;
          }
        }
        await handle.write(chunk);
      }
    } finally {
      await handle.close();
    }
    if (!headChecked) {
      const problem = u.checkHead!.check(Buffer.concat(head));
      if (problem) throw badRequest(problem, 'INVALID_FILE_CONTENT');
    }
    const problem = await u.checkFile?.(tmp);
    if (problem) throw badRequest(problem, 'INVALID_FILE_CONTENT');
    try {
      await link(tmp, final);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw badRequest(u.existsMessage, 'ALREADY_EXISTS');
      throw err;
    }
    return { path: final, size };
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}
