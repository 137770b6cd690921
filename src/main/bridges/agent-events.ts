import type { Logger } from '../../shared/log.js';
import type { ZmqAgentBridge } from './zmq-agent-bridge.js';
import type { SessionRegistry } from '../session/session-registry.js';
import type { AgentResult } from '../session/character-session.js';

/** What agent events need from main: page sockets by character, and each character's session for spoken results. */
export interface AgentEventTargets {
  registry: SessionRegistry;
  /** The character's session, to have a finished task spoken; undefined for unknown characters. */
  resultSink(character: string): { enqueueAgentResult(result: AgentResult): void } | undefined;
}

/**
 * Turns agent→main events into page messages and spoken results (agent.md §3.5). Unlike the original,
 * an event naming an unknown character is dropped rather than broadcast, so one character's tasks never
 * reach another's page; only events with no character at all (status snapshots) go to every page.
 */
export function wireAgentEvents(bridge: ZmqAgentBridge, targets: AgentEventTargets, log: Logger): void {
  const { registry } = targets;
  bridge.on('agent_status_update', (e) => {
    const message = { type: 'agent_status_update', snapshot: e.snapshot as Record<string, unknown> };
    if (e.lanlan_name) registry.sendTo(e.lanlan_name, message);
    else registry.broadcast(message);
  });
  bridge.on('task_update', (e) => {
    const message = { type: 'agent_task_update', task: e.task as Record<string, unknown> };
    if (e.lanlan_name) registry.sendTo(e.lanlan_name, message);
    else registry.broadcast(message);
  });
  bridge.on('agent_notification', (e) => {
    if (!e.lanlan_name) return;
    registry.sendTo(e.lanlan_name, {
      type: 'agent_notification', text: e.text, source: String(e.source ?? 'brain'), status: e.status || 'error',
      ...(e.error_message ? { error_message: String(e.error_message).slice(0, 500) } : {}),
    });
  });
  const onResult = (e: { lanlan_name?: string | null; text: string; summary?: string; detail?: string; success?: boolean; status?: string; task_id?: string; channel?: string; error_message?: unknown }) => {
    const character = e.lanlan_name;
    const sink = character ? targets.resultSink(character) : undefined;
    if (!character || !sink) {
      log.debug({ character }, 'agent result for no known character dropped');
      return;
    }
    if (!e.text.trim()) return;
    const success = e.success ?? e.status === 'completed';
    sink.enqueueAgentResult({
      task_id: e.task_id, channel: e.channel, status: e.status, success,
      summary: e.summary || e.text, detail: e.detail,
    });
    registry.sendTo(character, {
      type: 'agent_notification', text: e.text, source: 'brain', status: e.status ?? (success ? 'completed' : 'failed'),
      ...(e.error_message ? { error_message: String(e.error_message).slice(0, 500) } : {}),
    });
  };
  bridge.on('task_result', onResult);
  bridge.on('proactive_message', onResult);
}
