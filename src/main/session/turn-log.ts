import { randomUUID } from 'node:crypto';
import type { OutboxMessage } from '../bridges/memory-outbox.js';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The original's assistant-turn prefix `[YYYYMMDD Ddd HH:MM] ` (memory.md §1.6), in local time. */
export function timestampPrefix(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `[${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())} ${WEEKDAYS[d.getDay()]} ${p(d.getHours())}:${p(d.getMinutes())}] `;
}

/** Emotion tags (`<happy>`) are for the avatar, never for display or memory. */
export function stripTags(text: string): string {
  return text.replace(/<[^<>]*>/g, '');
}

export interface Turn {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  at: Date;
}

/**
 * One session's conversation as memory and hot-swap need it: user and assistant turns with ids, built
 * from streamed pieces (consecutive pieces of one role join into one turn), with a cursor of what has
 * already been handed to the memory outbox.
 */
export class TurnLog {
  private readonly turns: Turn[] = [];
  private synced = 0;
  private open: Turn | undefined;

  /** Appends streamed text; a new turn starts when the role changes or `newTurn` is set. */
  add(role: Turn['role'], text: string, newTurn = false, at = new Date()): void {
    const clean = stripTags(text);
    if (!clean) return;
    if (this.open && this.open.role === role && !newTurn) {
      this.open.text += clean;
      return;
    }
    this.open = { id: randomUUID(), role, text: clean, at };
    this.turns.push(this.open);
  }

  /** Ends the turn being streamed, so the next piece of the same role starts a new one. */
  closeTurn(): void {
    this.open = undefined;
  }

  /** The text of the turn being streamed if it is `role`'s, else ''. */
  openText(role: Turn['role']): string {
    return this.open?.role === role ? this.open.text : '';
  }

  /** Removes the turn being streamed if it is `role`'s (a reply thrown away); closed turns stay. */
  dropOpen(role: Turn['role']): void {
    if (this.open?.role !== role || this.turns.at(-1) !== this.open) return;
    this.turns.pop();
    this.synced = Math.min(this.synced, this.turns.length);
    this.open = undefined;
  }

  all(): readonly Turn[] {
    return this.turns;
  }

  /** Turns since index `from`, e.g. since a hot-swap trigger. */
  since(from: number): readonly Turn[] {
    return this.turns.slice(from);
  }

  get length(): number {
    return this.turns.length;
  }

  hasUnsyncedUserTurn(): boolean {
    return this.turns.slice(this.synced).some((t) => t.role === 'user');
  }

  /** Closed turns not yet handed to memory, in the outbox shape; advances the cursor. */
  takeUnsynced(includeOpen = false): OutboxMessage[] {
    const end = includeOpen || !this.open ? this.turns.length : this.turns.length - 1;
    const out = this.turns.slice(this.synced, end).map(toOutboxMessage);
    this.synced = end;
    return out;
  }

  /** The last `n` user/assistant turns as the agent's analyze_request wants them. */
  recentForAgent(n = 6): { role: 'user' | 'assistant'; content: string }[] {
    return this.turns
      .filter((t) => t.text.trim())
      .slice(-n)
      .map((t) => ({ role: t.role, content: t.role === 'assistant' ? `${timestampPrefix(t.at)}${t.text.trim()}` : t.text.trim() }));
  }

  /** Hot-swap context lines `"{speaker} | {text}"`, as the original renders its cache. */
  static render(turns: readonly Turn[], names: { user: string; assistant: string }): string {
    return turns.map((t) => `${t.role === 'user' ? names.user : names.assistant} | ${t.text.trim()}\n`).join('');
  }
}

export function toOutboxMessage(t: Turn): OutboxMessage {
  const text = t.role === 'assistant' ? `${timestampPrefix(t.at)}${t.text.trim()}` : t.text.trim();
  return { role: t.role, content: [{ type: 'text', text }], id: t.id, timestamp: t.at.toISOString() };
}
