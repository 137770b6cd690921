import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, realpath, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { badRequest } from '../../shared/errors.js';
import { isInside, isPlainRelativePath } from '../avatar/asset-files.js';
import type { ByteBudget } from './byte-budget.js';

/**
 * A fresh hidden folder inside the destination root that an upload is written into. Nothing lands in the
 * real model folder until `commitAs` renames it in one step; `discard` removes everything on failure.
 * Dot-named, so the static mounts (dotfiles: deny) never serve a half-written upload.
 */
export class StagingDir {
  private constructor(readonly path: string) {}

  static async create(root: string): Promise<StagingDir> {
    await mkdir(root, { recursive: true });
    return new StagingDir(await mkdtemp(join(root, '.upload-')));
  }

  /** Writes `rel` (a plain relative path) from `chunks`, never following or replacing an existing entry. */
  async writeFile(rel: string, chunks: AsyncIterable<Buffer | Uint8Array>, budget: ByteBudget): Promise<number> {
    if (!isPlainRelativePath(rel)) throw badRequest('非法文件路径 (invalid file path)', 'INVALID_PATH');
    const dest = join(this.path, ...rel.split('/'));
    await mkdir(dirname(dest), { recursive: true });
    // The folder is ours and fresh, so this only fails if something raced us; checked anyway.
    if (!isInside(await realpath(this.path), await realpath(dirname(dest)))) throw badRequest('非法文件路径 (path escapes the model folder)', 'INVALID_PATH');
    budget.startFile();
    const handle = await open(dest, 'wx'); // O_EXCL: never through a symlink, never over a file
    let size = 0;
    try {
      for await (const chunk of chunks) {
        size += chunk.length;
        budget.take(chunk.length, size);
        await handle.write(chunk);
      }
    } finally {
      await handle.close();
    }
    return size;
  }

  /** Moves `staged` (this folder or a folder inside it) to `target`, which must not exist yet. */
  async moveOut(staged: string, target: string, existsMessage: string): Promise<void> {
    if (!isInside(this.path, staged)) throw new Error(`${staged} is not inside the staging folder`);
    if (existsSync(target)) throw badRequest(existsMessage, 'ALREADY_EXISTS');
    await rename(staged, target);
  }

  async discard(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}
