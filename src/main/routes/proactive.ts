import type { FastifyInstance } from 'fastify';
import type { ProactiveChat, ProactiveRequest } from '../proactive/proactive-chat.js';
import { objectBody } from './request-body.js';

/** `POST /api/proactive_chat` (rest.md §9.9): the line itself arrives over the character's WebSocket. */
export async function proactiveRoutes(app: FastifyInstance, proactive: ProactiveChat): Promise<void> {
  app.post('/api/proactive_chat', async (req) => proactive.run(objectBody(req.body ?? {}) as ProactiveRequest));
}
