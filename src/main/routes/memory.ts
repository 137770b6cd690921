import type { FastifyInstance } from 'fastify';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { ZodError } from 'zod';
import { resolve, sep } from 'node:path';
import { writeJsonAtomic } from '../../shared/config/json-file.js';
import { NameError, validateCharacterName } from '../../shared/config/names.js';
import { ApiError } from '../../shared/errors.js';
import { lcMessage, LcTypeSchema, type LcMessage } from '../../shared/protocol/langchain-messages.js';
import { MemoryRequestError, MemoryUnavailableError } from '../bridges/memory-client.js';
import type { MainContext } from '../context.js';
import { objectBody } from './request-body.js';

/** FastAPI's HTTPException answer (`detail`), which the original page reads, plus neko's `error`. */
function httpError(status: number, message: string): ApiError {
  return new ApiError(status, message, undefined, { detail: message });
}

/** The original's name rule for this route (rest.md §5): word characters, dash, CJK, kana, hangul; 1–100. */
const MEMORY_NAME = /^[\w\-\u4e00-\u9fff\u3040-\u309f\u30a0-\u30ff\uac00-\ud7af]{1,100}$/u;

/** A `recent*.json` file name inside the memory folder, or 400 (no separators, no `..`, no escape by resolution). */
function safeRecentFile(memoryDir: string, filename: unknown, pattern = /^recent.*\.json$/): string {
  if (typeof filename !== 'string' || !filename) throw httpError(400, '缺少文件名 (filename is required)');
  if (filename.includes('/') || filename.includes('\\') || filename.includes('..') || !pattern.test(filename)) {
    throw httpError(400, `无效的文件名: ${filename}`);
  }
  const root = resolve(memoryDir);
  const path = resolve(root, filename);
  if (!path.startsWith(root + sep)) throw httpError(400, `无效的文件名: ${filename}`);
  return path;
}

function characterOf(filename: string): string {
  const name = filename.slice('recent_'.length, -'.json'.length);
  try {
    return validateCharacterName(name, 'filename');
  } catch (err) {
    if (err instanceof NameError) throw httpError(400, err.message);
    throw err;
  }
}

/** `/api/memory/*` (rest.md §5): the recent-window files, hand edits, rename, and the review switch. */
export async function memoryRoutes(app: FastifyInstance, ctx: MainContext): Promise<void> {
  const memoryDir = () => ctx.config.paths.memory;

  app.get('/recent_files', async () => {
    const files = existsSync(memoryDir()) ? readdirSync(memoryDir()).filter((f) => /^recent.*\.json$/.test(f)).sort() : [];
    return { files };
  });

  app.get<{ Querystring: { filename?: string } }>('/recent_file', async (req) => {
    const path = safeRecentFile(memoryDir(), req.query.filename);
    if (!existsSync(path)) throw httpError(404, '文件不存在');
    return { content: readFileSync(path, 'utf8') };
  });

  app.post('/recent_file/save', async (req) => {
    const body = objectBody(req.body);
    const path = safeRecentFile(memoryDir(), body.filename, /^recent_.+\.json$/);
    const character = characterOf(body.filename as string);
    if (!Array.isArray(body.chat)) throw httpError(400, 'chat 必须是数组 (chat must be an array)');
    const messages: LcMessage[] = body.chat.map((item: unknown, i: number) => {
      const { role, text } = (typeof item === 'object' && item !== null ? item : {}) as { role?: unknown; text?: unknown };
      const type = LcTypeSchema.safeParse(role);
      if (!type.success) throw httpError(400, `chat[${i}].role 必须是 human、ai 或 system`);
      if (text !== undefined && typeof text !== 'string') throw httpError(400, `chat[${i}].text 必须是字符串`);
      return lcMessage(type.data, text ?? '');
    });
    try {
      writeJsonAtomic(path, messages);
    } catch (err) {
      return { success: false, error: `保存失败: ${(err as Error).message}` };
    }
    // A review started before this edit must not overwrite it (memory also refuses stale results on its own).
    await ctx.memory.cancelCorrection(character).catch((err: Error) => ctx.log.info({ character, err: err.message }, 'memory not told to cancel its review'));
    return { success: true, need_refresh: true, catgirl_name: character };
  });

  app.post('/update_catgirl_name', async (req) => {
    const body = objectBody(req.body);
    const { old_name: oldName, new_name: newName } = body;
    if (typeof oldName !== 'string' || typeof newName !== 'string' || !oldName || !newName) throw httpError(400, '缺少必要参数');
    if (!MEMORY_NAME.test(oldName)) throw httpError(400, `旧名称无效: ${oldName}`);
    if (!MEMORY_NAME.test(newName)) throw httpError(400, `新名称无效: ${newName}`);
    // The memory service moves the files and rewrites the names inside the window in the queues of both names,
    // so none of its own appends can interleave (main touching the files itself could lose one). Everything of
    // the character moves, not only recent_<old>.json; an existing recent_<new>.json is refused (409), never
    // overwritten. When neko's character rename already moved everything, nothing moves and this succeeds.
    let moved: string[];
    try {
      moved = (await ctx.memory.renameCharacter(oldName, newName)).files;
    } catch (err) {
      if (err instanceof MemoryUnavailableError) {
        const message = '记忆服务不可用，未重命名记忆文件，请稍后再试 (memory service unavailable: nothing was changed)';
        throw new ApiError(503, message, 'MEMORY_UNAVAILABLE', { detail: message });
      }
      if (err instanceof MemoryRequestError && err.status >= 400 && err.status < 500) throw httpError(err.status, `重命名记忆失败: ${err.message}`);
      if (err instanceof MemoryRequestError || err instanceof ZodError) throw httpError(502, `记忆服务重命名失败: ${(err as Error).message}`);
      throw err;
    }
    if (moved.length === 0 && !existsSync(safeRecentFile(memoryDir(), `recent_${newName}.json`))) {
      throw httpError(404, `记忆文件不存在: recent_${oldName}.json`);
    }
    return { success: true };
  });

  app.get('/review_config', async () => ({ enabled: ctx.config.coreFile().recent_memory_auto_review ?? true }));

  app.post('/review_config', async (req) => {
    const body = objectBody(req.body);
    if (typeof body.enabled !== 'boolean') throw httpError(400, 'enabled 必须是布尔值 (enabled must be true or false)');
    // Read-modify-write of the whole file: every other core_config key is kept.
    ctx.config.saveCore({ ...ctx.config.coreFile(), recent_memory_auto_review: body.enabled });
    return { success: true, enabled: body.enabled };
  });
}
