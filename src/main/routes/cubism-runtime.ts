import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Script } from 'node:vm';
import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from '../../shared/errors.js';
import { saveUploadedFile } from '../assets/single-file-upload.js';
import type { MainContext } from '../context.js';
import { discardPart, enableMultipart, uploadedFiles, type UploadedPart } from './multipart-upload.js';

/**
 * 4 MiB: the Cubism Core for Web runtime is a few hundred KB; anything far larger is not that file.
 */
export const CUBISM_CORE_MAX_BYTES = 4 * 1024 * 1024;
export const CUBISM_CORE_FILE = 'live2dcubismcore.min.js';
/** Where the page loads it from (stable, so the page can cache the decision "installed"). */
export const CUBISM_CORE_URL = `/api/live2d/cubism_core/${CUBISM_CORE_FILE}`;

/** Why a file is not a Cubism Core runtime, or undefined when it plausibly is one. Never runs the file. */
export function cubismCoreProblem(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return '文件不是 JavaScript 文本 (binary content; the runtime is a .js text file)';
  const text = bytes.toString('utf8');
  if (/^\s*</.test(text)) return '文件不是 JavaScript (looks like HTML or XML)';
  if (!text.includes('Live2DCubismCore')) return '文件未定义 Live2DCubismCore (not the Cubism Core runtime)';
  try {
    // Compiling checks the syntax without executing anything.
    new Script(text, { filename: CUBISM_CORE_FILE });
  } catch (err) {
    return `文件不是有效的 JavaScript (${(err as Error).message})`;
  }
  return undefined;
}

/** A plain `something.js` base name: no folders, no dot-files, no control characters. */
function checkFileName(raw: string | undefined): void {
  const name = (raw ?? '').trim();
  if (!/\.js$/i.test(name)) throw badRequest('文件必须是 .js 格式 (the runtime file is live2dcubismcore.min.js)', 'INVALID_FILE_TYPE');
  if (/[\\/]/.test(name) || name.startsWith('.') || /[\u0000-\u001f<>:"|?*]/.test(name) || name.length > 200) {
    throw badRequest(`非法文件名: ${name}`, 'INVALID_FILE_NAME');
  }
}

/**
 * The user's own copy of the Live2D Cubism Core runtime (proprietary: neko never ships or downloads it).
 * `POST /api/live2d/cubism_core` stores an uploaded copy in the data folder (`<data>/neko/live2d/`), replacing an
 * older one; `GET …/status` says whether one is there; `GET …/live2dcubismcore.min.js` serves it to the page;
 * `DELETE` removes it. neko additions: the original shipped the file in its static folder.
 */
export async function cubismRuntimeRoutes(app: FastifyInstance, ctx: MainContext): Promise<void> {
  const dir = join(ctx.config.paths.state, 'live2d');
  const file = join(dir, CUBISM_CORE_FILE);
  await enableMultipart(app);

  const installed = async () => {
    try {
      const st = await stat(file);
      return st.isFile() ? st : undefined;
    } catch {
      return undefined;
    }
  };

  app.get('/cubism_core/status', async () => {
    const st = await installed();
    return { success: true, installed: !!st, url: CUBISM_CORE_URL, ...(st ? { size: st.size, updated: st.mtime.toISOString() } : {}) };
  });

  /** Streams one upload to a temporary file beside the runtime, checks it, then renames it over the old copy. */
  const store = async (part: UploadedPart) => {
    checkFileName(part.filename);
    const saved = await saveUploadedFile({
      dir,
      root: ctx.config.paths.state,
      filename: `.upload-${randomBytes(6).toString('hex')}.js`,
      chunks: part.stream,
      maxBytes: CUBISM_CORE_MAX_BYTES,
      what: 'Cubism Core runtime',
      existsMessage: 'upload collision',
      checkFile: async (path) => cubismCoreProblem(await readFile(path)),
    });
    // Renaming over the old copy is atomic: the page never loads half a file.
    try {
      await rename(saved.path, file);
    } catch (err) {
      await rm(saved.path, { force: true });
      throw err;
    }
    return saved.size;
  };

  app.post('/cubism_core', async (req) => {
    let size: number | undefined;
    // The raw file name (folders kept) is checked, so a path is refused rather than silently cut to its base.
    for await (const part of uploadedFiles(req, { maxFiles: 1, fileBytes: CUBISM_CORE_MAX_BYTES })) {
      if (size !== undefined || part.fieldname !== 'file') await discardPart(part.stream);
      else size = await store(part);
    }
    if (size === undefined) throw badRequest('没有上传文件 (form field "file")', 'NO_FILES');
    return { success: true, message: 'Cubism Core 运行库已保存', installed: true, url: CUBISM_CORE_URL, size };
  });

  app.get(`/cubism_core/${CUBISM_CORE_FILE}`, async (_req, reply) => {
    if (!(await installed())) throw notFound('未安装 Cubism Core 运行库 (no runtime uploaded)', 'CUBISM_CORE_MISSING');
    const body = await readFile(file);
    return reply
      .header('content-type', 'application/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  });

  app.delete('/cubism_core', async () => {
    const existed = !!(await installed());
    await rm(file, { force: true });
    return { success: true, removed: existed };
  });
}
