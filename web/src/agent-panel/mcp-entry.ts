import type { McpEntry } from './agent-api';

/** What the MCP server form holds, as text fields. */
export interface McpFormFields {
  kind: 'stdio' | 'http';
  command: string;
  args: string;
  env: string;
  url: string;
  headers: string;
}

/** A line of a multi-line field that is not `NAME=value` / `Name: value`. */
export class LineError extends Error {
  constructor(
    readonly field: 'env' | 'headers',
    readonly line: number,
  ) {
    super(`${field} line ${line}`);
  }
}

function pairs(text: string, separator: '=' | ':', field: 'env' | 'headers'): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const at = line.indexOf(separator);
    if (at <= 0) throw new LineError(field, i + 1);
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  });
  return Object.keys(out).length ? out : undefined;
}

export function fieldsOf(entry: McpEntry | undefined): McpFormFields {
  return {
    kind: entry?.url !== undefined ? 'http' : 'stdio',
    command: entry?.command ?? '',
    args: (entry?.args ?? []).join('\n'),
    env: Object.entries(entry?.env ?? {}).map(([k, v]) => `${k}=${v}`).join('\n'),
    url: entry?.url ?? '',
    headers: Object.entries(entry?.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n'),
  };
}

/**
 * The entry to save: the form's fields over the entry being edited, so settings the form does not show
 * (cwd, timeout, on/off) are kept. Arguments are one per line, so spaces inside an argument need no quoting.
 */
export function entryOf(fields: McpFormFields, previous: McpEntry | undefined): McpEntry {
  const { type: _type, command: _command, args: _args, env: _env, cwd, url: _url, headers: _headers, ...common } = previous ?? {};
  if (fields.kind === 'stdio') {
    const args = fields.args.split('\n').map((a) => a.trim()).filter(Boolean);
    const env = pairs(fields.env, '=', 'env');
    const keepCwd = previous?.command !== undefined && cwd !== undefined ? { cwd } : {};
    return { ...common, command: fields.command.trim(), ...(args.length ? { args } : {}), ...(env ? { env } : {}), ...keepCwd };
  }
  const headers = pairs(fields.headers, ':', 'headers');
  return { ...common, type: 'http', url: fields.url.trim(), ...(headers ? { headers } : {}) };
}
