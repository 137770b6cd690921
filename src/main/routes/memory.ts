import type { FastifyInstance } from 'fastify';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { writeJsonAtomic } from '../../shared/config/json-file.js';
import { NameError, validateCharacterName } from '../../shared/config/names.js';
import { ApiError } from '../../shared/errors.js';
import { lcMessage, LcTypeSchema, type LcMessage } from '../../shared/protocol/langchain-messages.js';
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

/** The original's rename rewrite: exact-name fields, and "<old>:"-style mentions inside string content. */
function renameInWindow(items: unknown[], oldName: string, newName: string): unknown[] {
  const fields = ['speaker', 'author', 'name', 'character', 'role'];
  const patterns = [`${oldName}说：`, `${oldName}说:`, `${oldName}:`, `${oldName}->`, `[${oldName}]`];
  const swapFields = (o: Record<string, unknown>) => {
    for (const f of fields) if (o[f] === oldName) o[f] = newName;
  };
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const record = item as Record<string, unknown>;
    swapFields(record);
    const data = record.data;
    if (typeof data !== 'object' || data === null) continue;
    const d = data as Record<string, unknown>;
    swapFields(d);
    if (typeof d.content === 'string') {
      let content = d.content;
      for (const p of patterns) content = content.split(p).join(p.replace(oldName, newName));
      d.content = content;
    }
  }
  return items;
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
    const oldPath = safeRecentFile(memoryDir(), `recent_${oldName}.json`);
    const newPath = safeRecentFile(memoryDir(), `recent_${newName}.json`);
    if (existsSync(oldPath)) {
      renameSync(oldPath, newPath);
    } else if (!existsSync(newPath)) {
      throw httpError(404, `记忆文件不存在: recent_${oldName}.json`);
    }
    // Reaching here without recent_<old> means neko's character rename already moved it (with every other
    // memory file): the call is then just the in-file rewrite, which is idempotent.
    let items: unknown;
    try {
      items = JSON.parse(readFileSync(newPath, 'utf8'));
    } catch (err) {
      // The file moved; an unreadable one is left as it is for the memory service to quarantine on next use.
      ctx.log.warn({ file: newPath, err: (err as Error).message }, 'renamed recent file is not valid JSON; names inside not rewritten');
      return { success: true };
    }
    if (Array.isArray(items)) writeJsonAtomic(newPath, renameInWindow(items, oldName, newName));
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
