import type { FastifyInstance } from 'fastify';
import { notFound } from '../../shared/errors.js';
import type { AgentService } from '../agent-service.js';
import { isActiveStatus } from '../tasks/task-registry.js';

/** The task list, one task, and cancelling exactly one task (agent.md §2.3, §2.9). */
export async function taskRoutes(app: FastifyInstance, agent: AgentService): Promise<void> {
  const { registry, pipeline } = agent.deps;

  app.get('/tasks', async () => {
    const tasks = registry.list();
    return { tasks, debug: { task_registry_count: registry.active().length, total_returned: tasks.length } };
  });

  app.get<{ Params: { id: string } }>('/tasks/:id', async (req) => {
    const task = registry.get(req.params.id);
    if (!task) throw notFound('task not found');
    return task;
  });

  app.post<{ Params: { id: string } }>('/tasks/:id/cancel', async (req, reply) => {
    const task = registry.get(req.params.id);
    if (!task) throw notFound('task not found');
    if (!isActiveStatus(task.status) || !pipeline.cancel(task.id)) return reply.send({ success: false, error: 'task is not active' });
    return { success: true, task_id: task.id, status: 'cancelled' };
  });
}
