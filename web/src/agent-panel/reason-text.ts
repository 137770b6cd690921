import { hasKey, t } from '../i18n';

/**
 * A reason code from the agent (`AGENT_MODEL_NOT_CONFIGURED`, `MCP_CONFIG_INVALID: <detail>`, …) as a sentence.
 * Codes we have no text for, and plain sentences (a proxy's "agent unreachable: …"), are shown as they are.
 */
export function reasonText(reason: string): string {
  const m = /^([A-Z][A-Z0-9_]+)(?::\s*(.*))?$/s.exec(reason.trim());
  if (!m) return reason;
  const key = `agent.reasons.${m[1]}`;
  if (!hasKey(key)) return reason;
  return m[2] ? `${t(key)} (${m[2]})` : t(key);
}

/** The agent's one-shot notification (`{"code": …, "details": …}` JSON) as a sentence, or null if there is none. */
export function notificationText(notification: string | null | undefined): string | null {
  if (!notification) return null;
  try {
    const v = JSON.parse(notification) as { code?: unknown; details?: { reason?: unknown; reasons?: unknown } };
    if (typeof v.code !== 'string') return notification;
    const key = `agent.notices.${v.code}`;
    const base = hasKey(key) ? t(key) : reasonText(v.code);
    const why = [v.details?.reason, ...(Array.isArray(v.details?.reasons) ? v.details.reasons : [])].filter((r): r is string => typeof r === 'string' && r !== '');
    return why.length ? `${base} ${why.map(reasonText).join(' ')}` : base;
  } catch {
    return notification;
  }
}
