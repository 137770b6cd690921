import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ApiError, badRequest } from '../../shared/errors.js';
import { isPlainRelativePath } from '../avatar/asset-files.js';
import { ByteBudget } from './byte-budget.js';
import type { StagingDir } from './staging-dir.js';
import { tooLarge } from './too-large.js';

export interface ZipLimits {
  maxEntries: number;
  fileBytes: number;
  totalBytes: number;
}

export interface ExtractResult {
  /** Relative paths written into the staging folder. */
  written: string[];
  /** Entries left out because `accept` refused their type. */
  skipped: string[];
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
/** `versionMadeBy` high byte values whose external attributes carry a Unix mode (Unix, macOS). */
const UNIX_HOSTS = new Set([3, 19]);

/** Symlinks, devices, FIFOs and sockets: anything but a plain file or folder is refused outright. */
function entryKind(entry: Entry): 'file' | 'dir' | 'special' {
  const isDirName = entry.fileName.endsWith('/');
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (UNIX_HOSTS.has(entry.versionMadeBy >> 8) && mode !== 0) {
    if (mode === S_IFDIR) return 'dir';
    if (mode !== S_IFREG) return 'special';
  }
  return isDirName ? 'dir' : 'file';
}

/** Finder and editor litter that is never part of a model. */
const isJunk = (rel: string) => rel.split('/').some((seg) => seg.startsWith('.') || seg === '__MACOSX');

async function readAllEntries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (e: Entry) => {
      entries.push(e);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

/**
 * Extracts a zip into `staging` after checking the whole central directory first: entry count, every
 * path (no `..`, no absolute or drive paths, no backslashes), every entry type (no symlinks or special
 * files), no encryption, and the declared sizes. Bytes are then counted again while writing (a zip can
 * lie about sizes), and each file is created exclusively inside the staging folder.
 */
export async function extractZip(zipPath: string, staging: StagingDir, limits: ZipLimits, accept: (rel: string) => boolean): Promise<ExtractResult> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: true });
  } catch (err) {
    throw badRequest(`无效的压缩包 (not a readable zip: ${(err as Error).message})`, 'INVALID_ZIP');
  }
  try {
    if (zip.entryCount > limits.maxEntries) throw tooLarge(`zip with ${zip.entryCount} entries (max ${limits.maxEntries})`, limits.totalBytes);
    let entries: Entry[];
    try {
      entries = await readAllEntries(zip);
    } catch (err) {
      // yauzl refuses absolute paths, `..` and backslashes itself; those are bad uploads, not server errors.
      throw badRequest(`压缩包包含非法路径 (zip refused: ${(err as Error).message})`, 'INVALID_ZIP_PATH');
    }
    const files: Array<{ entry: Entry; rel: string }> = [];
    const skipped: string[] = [];
    let declared = 0;
    for (const entry of entries) {
      const kind = entryKind(entry);
      if (kind === 'special') throw badRequest(`压缩包包含符号链接或特殊文件: ${entry.fileName} (symlinks and special files are not allowed)`, 'INVALID_ZIP_ENTRY');
      const rel = entry.fileName.replace(/\/+$/, '');
      if (!isPlainRelativePath(rel)) throw badRequest(`压缩包包含非法路径: ${entry.fileName}`, 'INVALID_ZIP_PATH');
      if (kind === 'dir' || isJunk(rel)) continue;
      if (entry.isEncrypted()) throw badRequest(`压缩包中的文件已加密: ${entry.fileName}`, 'INVALID_ZIP_ENTRY');
      if (!accept(rel)) {
        skipped.push(rel);
        continue;
      }
      if (entry.uncompressedSize > limits.fileBytes) throw tooLarge(`zip entry ${rel}`, limits.fileBytes);
      declared += entry.uncompressedSize;
      if (declared > limits.totalBytes) throw tooLarge('zip content', limits.totalBytes);
      files.push({ entry, rel });
    }
    const budget = new ByteBudget({ fileBytes: limits.fileBytes, totalBytes: limits.totalBytes, maxFiles: limits.maxEntries }, 'zip content');
    for (const { entry, rel } of files) {
      const stream = await zip.openReadStreamPromise(entry);
      try {
        await staging.writeFile(rel, stream, budget);
      } catch (err) {
        stream.destroy();
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') throw badRequest(`压缩包中有重复或冲突的路径: ${rel}`, 'INVALID_ZIP_ENTRY');
        // Size lies, bad CRCs and broken deflate data surface as plain errors from the entry stream.
        if (!(err instanceof ApiError) && !code) throw badRequest(`压缩包已损坏 (corrupt zip entry ${rel}: ${(err as Error).message})`, 'INVALID_ZIP');
        throw err;
      }
    }
    return { written: files.map((f) => f.rel), skipped };
  } finally {
    zip.close();
  }
}
