import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '../../shared/config/json-file.js';

/** File in the config folder holding the familiar `{"mcpServers": {...}}` document (Claude Desktop, Cursor, …). */
export const MCP_CONFIG_FILE = 'mcp_servers.json';

const Common = {
  disabled: z.boolean().optional(),
  /** Seconds one tool call may take on this server (default DEFAULT_CALL_TIMEOUT_S). */
  timeout: z.number().positive().max(3600).optional(),
};

const StdioServerSchema = z.object({
  type: z.literal('stdio').optional(),
  command: z.string().min(1),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  cwd: z.string().optional(),
  ...Common,
});

const HttpServerSchema = z.object({
  /**
   * `sse`: the older HTTP+SSE transport (MCP 2024-11-05). Otherwise Streamable HTTP, falling back to SSE when
   * the server refuses it with a 4xx, as the MCP spec's backwards-compatibility section describes.
   */
  type: z.enum(['http', 'streamable-http', 'streamableHttp', 'sse']).optional(),
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()).optional(),
  ...Common,
});

export const McpServerSchema = z.union([StdioServerSchema, HttpServerSchema]);
export type McpServerConfig = z.infer<typeof McpServerSchema>;
export type StdioServerConfig = z.infer<typeof StdioServerSchema>;

/** Server names become part of tool names the model sees, so they stay short and plain. */
const ServerName = z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'server names use letters, digits, "_", "-" or "." (at most 40)');

export const McpConfigSchema = z.object({ mcpServers: z.record(ServerName, McpServerSchema) });
export type McpConfig = z.infer<typeof McpConfigSchema>;

export const DEFAULT_CALL_TIMEOUT_S = 60;

export function isStdioServer(config: McpServerConfig): config is StdioServerConfig {
  return 'command' in config;
}

export function mcpConfigPath(configDir: string): string {
  return join(configDir, MCP_CONFIG_FILE);
}

/** Reads the file; a missing file is an empty config, an invalid one is an error naming the problem. */
export function loadMcpConfig(file: string): McpConfig {
  if (!existsSync(file)) return { mcpServers: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = McpConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`.trim());
  }
  return parsed.data;
}

export function saveMcpConfig(file: string, config: McpConfig): void {
  writeJsonAtomic(file, config);
}
