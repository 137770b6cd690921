import type { AgentTask } from './agent-api';

/** What a task's card says, worked out from the record alone (no DOM, no strings: keys and values). */

export type TaskKind = 'mcp' | 'browser_use' | 'computer_use' | 'other';

export function taskKind(task: AgentTask): TaskKind {
  return task.type === 'mcp' || task.type === 'browser_use' || task.type === 'computer_use' ? task.type : 'other';
}

export function instructionOf(task: AgentTask): string {
  const p = task.params ?? {};
  const text = [p.instruction, p.description, p.query].find((v): v is string => typeof v === 'string' && v.trim() !== '');
  return text?.trim() ?? '';
}

/** `server › tool` for an MCP task. */
export function toolOf(task: AgentTask): string | null {
  const p = task.params ?? {};
  return typeof p.server === 'string' && typeof p.tool === 'string' ? `${p.server} › ${p.tool}` : null;
}

/** 0…1 when the task says how far it is (a fraction, a percentage, or step n of m); null when it does not. */
export function progressOf(task: AgentTask): number | null {
  if (typeof task.progress === 'number' && Number.isFinite(task.progress)) {
    const p = task.progress > 1 ? task.progress / 100 : task.progress;
    return Math.min(1, Math.max(0, p));
  }
  if (typeof task.step === 'number' && typeof task.step_total === 'number' && task.step_total > 0) return Math.min(1, Math.max(0, task.step / task.step_total));
  return null;
}

/** A fraction as a whole percentage in the page's language ("75%", "75 %", …). */
export function percentText(fraction: number, language: string): string {
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

/** The answer of a finished task as readable text (MCP `{result}`, browser `{result|message}`, or JSON). */
export function resultText(result: unknown): string {
  if (result === null || result === undefined) return '';
  if (typeof result === 'string') return result;
  if (typeof result === 'object') {
    const r = result as Record<string, unknown>;
    for (const key of ['result', 'answer', 'message', 'text', 'detail']) {
      const v = r[key];
      if (typeof v === 'string' && v.trim()) return v;
      if (v && typeof v === 'object') return resultText(v);
    }
  }
  return JSON.stringify(result);
}

/** `m:ss` (or `h:mm:ss`): the same in every language. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function elapsedMs(task: AgentTask, now: number): number {
  const start = task.start_time ? Date.parse(task.start_time) : NaN;
  if (!Number.isFinite(start)) return 0;
  const end = task.end_time ? Date.parse(task.end_time) : NaN;
  return (Number.isFinite(end) ? end : now) - start;
}
