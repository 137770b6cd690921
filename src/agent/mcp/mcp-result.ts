import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';

/** Longest tool output kept as the task's detail; the spec caps `detail` at 1500 characters anyway. */
const MAX_TEXT = 4000;

export interface ToolOutcome {
  success: boolean;
  /** Readable text for the task result and the spoken report. */
  text: string;
}

/**
 * A tool's result as text. The SDK validated the envelope already; the content parts can still be
 * anything a server invents, so each part is described defensively and the whole is capped.
 */
export function describeToolResult(raw: unknown): ToolOutcome {
  const parsed = CallToolResultSchema.safeParse(raw);
  if (!parsed.success) return { success: false, text: `the tool returned a malformed result (${parsed.error.issues[0]?.message ?? 'invalid'})` };
  const result = parsed.data;
  const parts: string[] = [];
  for (const part of result.content ?? []) {
    switch (part.type) {
      case 'text':
        parts.push(part.text);
        break;
      case 'image':
        parts.push(`[image ${part.mimeType}, ${Math.round((part.data.length * 3) / 4 / 1024)} KiB]`);
        break;
      case 'audio':
        parts.push(`[audio ${part.mimeType}]`);
        break;
      case 'resource':
        parts.push('text' in part.resource && typeof part.resource.text === 'string' ? part.resource.text : `[resource ${part.resource.uri}]`);
        break;
      case 'resource_link':
        parts.push(`[link ${part.uri}]`);
        break;
      default:
        parts.push(`[${String((part as { type?: unknown }).type)} content]`);
    }
  }
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  let text = parts.join('\n').replace(/\u0000/g, '').trim();
  if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT)}… (${text.length - MAX_TEXT} more characters)`;
  if (!text) text = result.isError ? 'the tool reported an error without a message' : 'the tool returned no content';
  return { success: result.isError !== true, text };
}
