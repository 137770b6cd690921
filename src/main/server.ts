import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { createService } from '../shared/http/service.js';
import type { MainContext } from './context.js';
import { agentRoutes } from './routes/agent.js';
import { agentMcpRoutes } from './routes/agent-mcp.js';
import { agentOverviewRoutes } from './routes/agent-overview.js';
import { characterRoutes } from './routes/characters.js';
import { configRoutes } from './routes/config.js';
import { memoryRoutes } from './routes/memory.js';
import { memoryBrowserRoutes } from './routes/memory-browser.js';
import { pageRoutes } from './routes/pages.js';
import { voiceCloneRoutes } from './routes/voice-clone.js';
import { live2dRoutes } from './routes/live2d.js';
import { cubismRuntimeRoutes } from './routes/cubism-runtime.js';
import { vrmRoutes } from './routes/vrm.js';
import { emotionRoutes } from './routes/emotion.js';
import { systemRoutes } from './routes/system.js';
import { registerChatSocket } from './ws/chat-socket.js';
import { proactiveRoutes } from './routes/proactive.js';
import { providerCheckRoutes } from './routes/provider-check.js';

/**
 * 32 MiB: the largest WebSocket frame the socket accepts. Frames above the chat socket's own 16 MiB limit
 * get a status error instead of a dropped connection; only beyond this is the connection closed (1009).
 */
export const MAX_WS_PAYLOAD = 32 * 1024 * 1024;

/** Assembles the main server: REST routes, the chat socket, and the page (last, it owns the catch-all). */
export async function buildMainServer(ctx: MainContext): Promise<FastifyInstance> {
  const app = createService('main', { log: ctx.log, env: ctx.env });
  await app.register(websocket, { options: { maxPayload: MAX_WS_PAYLOAD } });
  await app.register(async (scope) => configRoutes(scope, ctx), { prefix: '/api/config' });
  await app.register(async (scope) => providerCheckRoutes(scope, ctx), { prefix: '/api/config' });
  await app.register(async (scope) => characterRoutes(scope, ctx), { prefix: '/api/characters' });
  await app.register(async (scope) => voiceCloneRoutes(scope, ctx), { prefix: '/api/characters' });
  await app.register(async (scope) => memoryRoutes(scope, ctx), { prefix: '/api/memory' });
  await app.register(async (scope) => memoryBrowserRoutes(scope, ctx), { prefix: '/api/memory/browser' });
  await app.register(async (scope) => agentRoutes(scope, ctx), { prefix: '/api/agent' });
  await app.register(async (scope) => agentMcpRoutes(scope, ctx), { prefix: '/api/agent' });
  await app.register(async (scope) => agentOverviewRoutes(scope, ctx), { prefix: '/api/agent' });
  await app.register(async (scope) => live2dRoutes(scope, ctx), { prefix: '/api/live2d' });
  await app.register(async (scope) => cubismRuntimeRoutes(scope, ctx), { prefix: '/api/live2d' });
  await app.register(async (scope) => vrmRoutes(scope, ctx), { prefix: '/api/model/vrm' });
  await app.register(
    async (scope) =>
      emotionRoutes(scope, ctx, {
        // Viewers on the monitor show the same expression as the page.
        onResult: (character, result) => {
          if (character) ctx.mirrorFor?.(character)?.json({ type: 'emotion', emotion: result.emotion, confidence: result.confidence });
        },
      }),
    { prefix: '/api' },
  );
  await app.register(async (scope) => systemRoutes(scope, ctx), { prefix: '/api' });
  const proactive = ctx.proactive;
  if (proactive) await app.register(async (scope) => proactiveRoutes(scope, proactive));
  const chat = ctx.chat;
  if (chat) {
    await app.register(async (scope) =>
      registerChatSocket(scope, {
        log: ctx.log,
        registry: ctx.sessions,
        sessionFor: (name) => chat.sessionFor(name),
        fallbackCharacter: () => chat.fallbackCharacter(),
        mirrorFor: ctx.mirrorFor,
      }),
    );
  }
  await app.register(pageRoutes, ctx);
  return app;
}
