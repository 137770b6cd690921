import { readFile, stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { appRoot } from '../../shared/app-root.js';
import { ApiError, badRequest } from '../../shared/errors.js';
import { isLoopbackHost } from '../../shared/ports.js';
import { existingFileInside } from '../avatar/asset-files.js';
import type { MainContext } from '../context.js';
import { isBrowserMode } from '../system/browser-mode.js';
import { assetFileExists, assetRoots, firstPreviewImage, resolveAssetPath } from '../system/asset-probe.js';
import { NoticeBoard } from '../system/notices.js';
import { captureScreen, ScreenUnavailable } from '../system/screenshot.js';
import { MAX_TRANSLATE_CHARS, translateText } from '../system/translate.js';
import { objectBody } from './request-body.js';
import { requestAppStop } from '../../shared/http/service.js';

export interface SystemRouteOptions {
  /** Shared notice queue (whoever raises notices pushes here). */
  notices?: NoticeBoard;
  /** How the app stops on `/api/beacon/shutdown`; default: close gracefully and tell the launcher to stop it all. */
  shutdown?: () => void;
  /** App folder whose `static/` and `assets/` are probed; tests point it elsewhere. */
  appDir?: string;
  translateTimeoutMs?: number;
  /** How long after the beacon a page may reconnect (a reload) before the app stops. */
  beaconGraceMs?: number;
}

/**
 * Wait after the beacon before stopping: the response gets out, and a reload (which also sends the beacon as the
 * old page goes) has its new page connected by then, so only closing the last page stops the app. The original
 * stopped 0.5 s after any beacon, reloads included.
 */
const BEACON_GRACE_MS = 3000;
const IMAGE_TYPES: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.bmp': 'image/bmp', '.webp': 'image/webp',
};
const MAX_PROXY_IMAGE_BYTES = 50 * 1024 * 1024;
const steamMissing = { success: false, error: 'Steamworks未初始化' };

/** `/api/*` of the original's system router (rest.md §9) and `/api/beacon/shutdown` (§1.2); emotion and proactive chat live elsewhere. */
export async function systemRoutes(app: FastifyInstance, ctx: MainContext, opts: SystemRouteOptions = {}): Promise<void> {
  const notices = opts.notices ?? new NoticeBoard();
  const roots = assetRoots(ctx.config.paths, opts.appDir ?? appRoot());
  const shutdown = opts.shutdown ?? requestAppStop;
  const browserMode = isBrowserMode(ctx.env);
  let lastRequestAt = 0;
  if (browserMode) app.server.on('request', () => (lastRequestAt = Date.now()));

  app.get('/pending-notices', async () => notices.snapshot());

  app.post('/pending-notices/ack', async (req) => {
    const cursor = objectBody(req.body).cursor;
    if (typeof cursor !== 'number' || !Number.isInteger(cursor) || cursor < 0) throw badRequest('cursor 必须是非负整数 (cursor must be a non-negative integer)');
    notices.ack(cursor);
    return { ok: true };
  });

  app.post('/translate', async (req, reply) => {
    const body = objectBody(req.body);
    const target = typeof body.target_lang === 'string' && body.target_lang.trim() ? body.target_lang.trim() : 'zh';
    const text = typeof body.text === 'string' ? body.text : '';
    if (!text.trim()) return reply.code(400).send({ success: false, error: '文本不能为空', translated_text: '', source_lang: 'unknown', target_lang: target });
    if (text.length > MAX_TRANSLATE_CHARS) throw badRequest(`文本过长 (at most ${MAX_TRANSLATE_CHARS} characters)`);
    if (!/^[a-z]{2,3}([-_][a-z0-9]{2,8})*$/i.test(target)) throw badRequest(`无效的目标语言: ${target}`);
    const source = typeof body.source_lang === 'string' ? body.source_lang : undefined;
    return translateText(text, target, source, ctx.config.resolvedCore().roles.summary, opts.translateTimeoutMs);
  });

  app.get('/screenshot', async (req, reply) => {
    // Whatever address the server is bound to, the screen is only handed to this machine.
    if (!isLoopbackHost(req.ip.replace(/^::ffff:/, ''))) throw new ApiError(403, '仅允许本机访问 (screenshots are only served to this machine)', 'NOT_LOOPBACK');
    try {
      const jpeg = await captureScreen(ctx.env);
      return { success: true, data: `data:image/jpeg;base64,${jpeg.toString('base64')}`, size: jpeg.length };
    } catch (err) {
      if (err instanceof ScreenUnavailable) return reply.code(503).send({ success: false, error: err.message });
      throw err;
    }
  });

  app.get<{ Querystring: { path?: string } }>('/file-exists', async (req, reply) => {
    const input = req.query.path;
    if (typeof input !== 'string' || !input.trim()) return reply.code(400).send({ exists: false, error: 'path 参数是必需的' });
    const found = resolveAssetPath(input, roots);
    if (!found.ok) {
      const status = found.reason === 'outside' ? 403 : 400;
      return reply.code(status).send({ exists: false, error: found.reason === 'outside' ? '只能检查应用的资源目录 (only the app\'s asset folders can be checked)' : '非法路径' });
    }
    return { exists: assetFileExists(found.root, found.rel) };
  });

  app.get<{ Querystring: { folder?: string } }>('/find-first-image', async (req) => {
    const folder = req.query.folder;
    if (typeof folder !== 'string' || !folder.trim()) throw badRequest('folder 参数是必需的');
    if (folder.includes('//')) throw new ApiError(403, '非法路径');
    const found = resolveAssetPath(folder, roots);
    if (!found.ok) throw new ApiError(found.reason === 'outside' ? 403 : 400, found.reason === 'outside' ? '只能访问应用的资源目录' : '非法路径');
    const imagePath = firstPreviewImage(found.root, found.rel);
    return imagePath ? { success: true, imagePath } : { success: false, error: '未找到小于1MB的预览图片文件' };
  });

  // Serves preview images from the asset folders only (the original also served any path containing
  // `steamapps/workshop`, a local file read, rest.md §16.4).
  app.get<{ Querystring: { image_path?: string } }>('/steam/proxy-image', async (req, reply) => {
    const input = req.query.image_path;
    if (typeof input !== 'string' || !input.trim()) throw badRequest('image_path 参数是必需的');
    if (/^https?:/i.test(input.trim())) throw badRequest('暂不支持远程图片URL');
    const ext = (/\.[a-z0-9]+$/i.exec(input.trim())?.[0] ?? '').toLowerCase();
    const type = IMAGE_TYPES[ext];
    if (!type) throw badRequest('不是有效的图片文件');
    const found = resolveAssetPath(input, roots);
    if (!found.ok) throw new ApiError(found.reason === 'outside' ? 403 : 400, `文件不存在或无访问权限: ${input}`);
    const file = found.rel ? existingFileInside(found.root.dir, found.rel) : undefined;
    if (!file) throw new ApiError(404, `文件不存在或无访问权限: ${input}`);
    if ((await stat(file)).size > MAX_PROXY_IMAGE_BYTES) throw new ApiError(413, '图片文件过大');
    return reply.type(type).header('x-content-type-options', 'nosniff').send(await readFile(file));
  });

  app.get('/get_window_title', async () => ({ success: false, window_title: null }));

  // No Steam in neko: the answers the original gives when Steamworks is not running (rest.md §9.3).
  app.post('/steam/set-achievement-status/:name', async (_req, reply) => reply.code(503).send(steamMissing));
  app.post('/steam/update-playtime', async (req, reply) => {
    const body = req.body === undefined ? {} : objectBody(req.body);
    const seconds = body.seconds ?? 10;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) throw badRequest('seconds 必须是非负整数');
    return reply.code(503).send(steamMissing);
  });
  app.get('/steam/list-achievements', async (_req, reply) => reply.code(503).send({ error: 'Steamworks未初始化', count: 0, achievements: [] }));

  // Only a browser-mode launch stops when its page closes; otherwise the original answered `null`.
  app.post('/beacon/shutdown', async (_req, reply) => {
    if (!browserMode) return reply.type('application/json').send('null');
    const beaconAt = Date.now();
    setTimeout(() => {
      const open = ctx.sessions.allSockets().length;
      // A reload or a move to another neko page asks for something at once; a closed last page asks nothing.
      if (open === 0 && lastRequestAt <= beaconAt) shutdown();
      else ctx.log.info({ open }, 'a page closed but neko is still in use: not stopping');
    }, opts.beaconGraceMs ?? BEACON_GRACE_MS).unref();
    return { success: true, message: '服务器关闭信号已接收' };
  });
}
