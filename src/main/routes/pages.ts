import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { userAssetHeaders } from '../assets/served-headers.js';
import type { MainContext } from '../context.js';

/**
 * The original's page paths (rest.md §2) and ours, and the built page each one opens. The settings page picks its
 * section from the path; a character cannot take these names from the chat page's `/{character}`.
 */
export const NAMED_PAGES: Readonly<Record<string, string>> = {
  settings: 'settings.html',
  api_key: 'settings.html',
  chara_manager: 'settings.html',
  voice_clone: 'settings.html',
  model_manager: 'settings.html',
  l2d: 'settings.html',
  memory_browser: 'memory_browser.html',
};

/** Single-segment names that are files, not characters (the original's catch-all served the page for them). */
const NOT_A_CHARACTER = /\.[a-z0-9]+$/i;

/** A user avatar folder, served with inert types for anything that is not a model asset (see userAssetHeaders). */
async function userAssetMount(app: FastifyInstance, root: string, prefix: string): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onSend', async (req, reply, payload) => {
      if (reply.statusCode < 400) reply.headers(userAssetHeaders(req.url));
      return payload;
    });
    await scope.register(fastifyStatic, { root, prefix, decorateReply: false, index: false, dotfiles: 'deny' });
  });
}

/**
 * The page: the built bundle under /assets, the user's avatar folders, and index.html for `/` and for
 * `/{character}` (the page reads the character from the path). Registered last: it owns the catch-all.
 */
export async function pageRoutes(app: FastifyInstance, ctx: MainContext): Promise<void> {
  const index = join(ctx.webRoot, 'index.html');
  const built = existsSync(index);
  if (built) {
    await app.register(fastifyStatic, { root: join(ctx.webRoot, 'assets'), prefix: '/assets/', decorateReply: true, index: false });
  }
  await userAssetMount(app, ctx.config.paths.live2d, '/user_live2d/');
  await userAssetMount(app, ctx.config.paths.vrmAnimation, '/user_vrm/animation/');
  await userAssetMount(app, ctx.config.paths.vrm, '/user_vrm/');

  const sendPage = async (_req: unknown, reply: import('fastify').FastifyReply, file = 'index.html') => {
    if (!built || !existsSync(join(ctx.webRoot, file))) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web page is not built yet. Run `npm run build` (or `npm start`, which builds it on first run).');
    }
    return reply.header('cache-control', 'no-cache').sendFile(file, ctx.webRoot);
  };
  app.get('/', sendPage);
  app.get<{ Params: { name: string } }>('/:name', async (req, reply) => {
    if (NOT_A_CHARACTER.test(req.params.name)) return reply.code(404).send({ success: false, error: 'Not Found', detail: 'Not Found' });
    return sendPage(req, reply, Object.hasOwn(NAMED_PAGES, req.params.name) ? NAMED_PAGES[req.params.name] : undefined);
  });
}
