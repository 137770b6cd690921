import { z } from 'zod';

/**
 * ZeroMQ wire shapes between main and agent (shared/spec agent.md §3). Every message is one frame holding a
 * UTF-8 JSON object whose `event_type` says what it is; no topic frame, no envelope.
 */

const LanlanName = z.string();
/** Agent→main events may be addressed to nobody in particular (broadcast), so the name can be null. */
const OptionalLanlanName = z.string().nullable().optional();

export const AnalyzeMessageSchema = z.looseObject({
  role: z.string(),
  content: z.string().optional(),
  /** The agent accepts `text` as well as `content` (agent.md §3.3). */
  text: z.string().optional(),
});
export type AnalyzeMessage = z.infer<typeof AnalyzeMessageSchema>;

export const AnalyzeRequestSchema = z.looseObject({
  event_type: z.literal('analyze_request'),
  /** Absent only on the lossy PUB path, which is never acked. */
  event_id: z.string().min(1).optional(),
  trigger: z.enum(['turn_end', 'session_end']),
  lanlan_name: LanlanName,
  conversation_id: z.string().optional(),
  messages: z.array(AnalyzeMessageSchema),
});
export type AnalyzeRequest = z.infer<typeof AnalyzeRequestSchema>;

export const AnalyzeAckSchema = z.looseObject({
  event_type: z.literal('analyze_ack'),
  lanlan_name: OptionalLanlanName,
  event_id: z.string().min(1),
});

export const AgentStatusUpdateSchema = z.looseObject({
  event_type: z.literal('agent_status_update'),
  lanlan_name: OptionalLanlanName,
  snapshot: z.record(z.string(), z.unknown()),
});

export const TaskSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  type: z.string(),
  start_time: z.string().optional(),
  end_time: z.string().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  session_id: z.string().nullable().optional(),
  error: z.string().nullable().optional(),
  progress: z.number().nullable().optional(),
  stage: z.string().nullable().optional(),
  message: z.string().nullable().optional(),
  step: z.number().nullable().optional(),
  step_total: z.number().nullable().optional(),
});

export const TaskUpdateSchema = z.looseObject({
  event_type: z.literal('task_update'),
  lanlan_name: OptionalLanlanName,
  task: TaskSchema,
});

const ResultStatus = z.enum(['completed', 'partial', 'failed']);

export const TaskResultSchema = z.looseObject({
  event_type: z.literal('task_result'),
  lanlan_name: OptionalLanlanName,
  text: z.string(),
  task_id: z.string(),
  channel: z.string(),
  status: ResultStatus,
  success: z.boolean(),
  summary: z.string(),
  detail: z.string(),
  error_message: z.string(),
  timestamp: z.string(),
});

export const AgentNotificationSchema = z.looseObject({
  event_type: z.literal('agent_notification'),
  lanlan_name: OptionalLanlanName,
  text: z.string(),
  source: z.string(),
  status: z.string(),
  error_message: z.string().optional(),
});

export const ProactiveMessageSchema = z.looseObject({
  event_type: z.literal('proactive_message'),
  lanlan_name: OptionalLanlanName,
  text: z.string(),
  summary: z.string().optional(),
  detail: z.string().optional(),
  channel: z.string(),
  task_id: z.string().optional(),
  success: z.boolean().optional(),
  status: z.string().optional(),
  timestamp: z.string().optional(),
});

/** Everything the agent (or a plugin's proactive bridge) sends to main on the agent PUSH socket. */
export const AgentEventSchema = z.discriminatedUnion('event_type', [
  AnalyzeAckSchema,
  AgentStatusUpdateSchema,
  TaskUpdateSchema,
  TaskResultSchema,
  AgentNotificationSchema,
  ProactiveMessageSchema,
]);
export type AgentEvent = z.infer<typeof AgentEventSchema>;
export type AgentEventType = AgentEvent['event_type'];
export type AgentEventOf<T extends AgentEventType> = Extract<AgentEvent, { event_type: T }>;
export const AGENT_EVENT_TYPES: readonly AgentEventType[] = [
  'analyze_ack', 'agent_status_update', 'task_update', 'task_result', 'agent_notification', 'proactive_message',
];

/** What main publishes to the agent (SESSION PUB) or pushes (ANALYZE PUSH). */
export type SessionEvent = { event_type: string; [key: string]: unknown };

export type ParseResult<T> = { ok: true; event: T } | { ok: false; error: string };

/** Largest frame we bother to parse; the biggest real message (a task_result) is a few KiB. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** Frame → JSON object with a string `event_type`; the common first step of every parser here. */
export function parseFrame(frame: Buffer | string): ParseResult<SessionEvent> {
  const size = typeof frame === 'string' ? Buffer.byteLength(frame) : frame.length;
  if (size > MAX_FRAME_BYTES) return { ok: false, error: `frame of ${size} bytes exceeds ${MAX_FRAME_BYTES}` };
  let value: unknown;
  try {
    value = JSON.parse(typeof frame === 'string' ? frame : frame.toString('utf8'));
  } catch (err) {
    return { ok: false, error: `malformed JSON: ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: `expected a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}` };
  }
  const eventType = (value as Record<string, unknown>).event_type;
  if (typeof eventType !== 'string') return { ok: false, error: 'missing event_type' };
  return { ok: true, event: value as SessionEvent };
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid message';
  return `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}

/** Agent→main frame → typed event, or an error string for the caller to log (never throws). */
export function parseAgentEvent(frame: Buffer | string): ParseResult<AgentEvent> {
  const base = parseFrame(frame);
  if (!base.ok) return base;
  const eventType = base.event.event_type;
  if (!(AGENT_EVENT_TYPES as readonly string[]).includes(eventType)) return { ok: false, error: `unknown event_type "${eventType}"` };
  const parsed = AgentEventSchema.safeParse(base.event);
  if (!parsed.success) return { ok: false, error: `invalid ${eventType}: ${describeIssue(parsed.error)}` };
  return { ok: true, event: parsed.data };
}

/** An analyze_request frame (from ANALYZE PULL or SESSION SUB) → typed request, or an error string. */
export function parseAnalyzeRequest(event: SessionEvent): ParseResult<AnalyzeRequest> {
  const parsed = AnalyzeRequestSchema.safeParse(event);
  if (!parsed.success) return { ok: false, error: `invalid analyze_request: ${describeIssue(parsed.error)}` };
  return { ok: true, event: parsed.data };
}

/** The text of one analyze message, whichever of `content`/`text` carries it. */
export function analyzeMessageText(message: AnalyzeMessage): string {
  return message.content ?? message.text ?? '';
}
