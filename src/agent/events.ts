import type { AgentEventOf, AgentEventType } from '../shared/protocol/zmq.js';
import type { TaskView } from './tasks/task-registry.js';
import { nowIso } from './time.js';

/** Where agent→main events go: the ZeroMQ bridge in the service, a recorder in unit tests. */
export interface AgentEventSink {
  emit<T extends AgentEventType>(eventType: T, lanlanName: string | null, payload: Omit<AgentEventOf<T>, 'event_type' | 'lanlan_name'>): Promise<boolean>;
}

/** Spec limits for task_result fields (agent.md §3.4). */
const SUMMARY_MAX = 500;
const DETAIL_MAX = 1500;
const ERROR_MAX = 500;
const DESCRIPTION_MAX = 80;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `task_update.task`: the record plus HUD progress, without internal fields. */
export function taskUpdatePayload(task: TaskView): AgentEventOf<'task_update'>['task'] {
  return {
    id: task.id,
    status: task.status,
    type: task.type,
    start_time: task.start_time,
    ...(task.end_time ? { end_time: task.end_time } : {}),
    params: task.params,
    session_id: task.session_id,
    error: task.error,
    lanlan_name: task.lanlan_name,
    ...(task.progress !== undefined ? { progress: task.progress } : {}),
    ...(task.stage !== undefined ? { stage: task.stage } : {}),
    ...(task.message !== undefined ? { message: task.message } : {}),
    ...(task.step !== undefined ? { step: task.step } : {}),
    ...(task.step_total !== undefined ? { step_total: task.step_total } : {}),
  };
}

export type ResultChannel = 'mcp' | 'browser_use' | 'computer_use';

/** The `task_result` event for a finished task: what the character reads out, capped as the spec says. */
export function taskResultPayload(input: {
  taskId: string;
  channel: ResultChannel;
  description: string;
  success: boolean;
  detail: string;
  error: string;
  cancelled?: boolean;
}): Omit<AgentEventOf<'task_result'>, 'event_type' | 'lanlan_name'> {
  const desc = cut(input.description, DESCRIPTION_MAX);
  const detail = cut(input.detail.trim(), DETAIL_MAX);
  const status = input.success ? 'completed' : detail ? 'partial' : 'failed';
  const summary = input.cancelled
    ? `Task "${desc}" was cancelled`
    : input.success
      ? `Task "${desc}" completed${detail ? `: ${detail}` : ''}`
      : detail
        ? `Task "${desc}" ended without full success: ${detail}`
        : `Task "${desc}" failed${input.error ? `: ${input.error}` : ''}`;
  return {
    text: cut(summary, SUMMARY_MAX),
    task_id: input.taskId,
    channel: input.channel,
    status,
    success: input.success,
    summary: cut(summary, SUMMARY_MAX),
    detail,
    error_message: cut(input.error, ERROR_MAX),
    timestamp: nowIso(),
  };
}
