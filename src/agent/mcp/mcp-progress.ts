import type { TaskProgress } from '../tasks/task-registry.js';
import type { McpProgress } from './mcp-connection.js';

/**
 * A whole-number count out of a whole-number total up to this size reads as steps ("Step 3 of 5"); bigger
 * totals (bytes, items) are shown only as a fraction of the bar.
 */
const MAX_STEPS = 1000;
/** The message shows on one line of the task card. */
const MAX_MESSAGE = 200;

/**
 * One MCP `notifications/progress` as the task's progress for the HUD: a fraction 0…1 when the server gives a
 * total (else null: an indeterminate bar), steps when it counts steps, and its message if it sent one.
 */
export function taskProgressOf(p: McpProgress): TaskProgress {
  const out: TaskProgress = {};
  const total = typeof p.total === 'number' && Number.isFinite(p.total) && p.total > 0 ? p.total : null;
  const done = Number.isFinite(p.progress) ? Math.max(0, p.progress) : null;
  if (total !== null && done !== null) {
    out.progress = Math.min(1, done / total);
    if (Number.isInteger(done) && Number.isInteger(total) && total <= MAX_STEPS) {
      out.step = Math.min(done, total);
      out.step_total = total;
    }
  } else {
    out.progress = null;
  }
  const message = typeof p.message === 'string' ? p.message.trim() : '';
  if (message) out.message = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
  return out;
}
