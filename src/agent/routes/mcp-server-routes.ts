import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError, badRequest, notFound } from '../../shared/errors.js';
import { McpConfigSchema, McpServerSchema, type McpServerConfig } from '../mcp/mcp-config.js';
import type { McpManager } from '../mcp/mcp-manager.js';
import { refuseCrossSite } from './body.js';

const ServerNameSchema = McpConfigSchema.shape.mcpServers.keyType;
const [StdioSchema, HttpSchema] = McpServerSchema.options;
const PatchBodySchema = z.strictObject({ disabled: z.boolean() });

function serverName(raw: string): string {
  const parsed = ServerNameSchema.safeParse(raw);
  if (!parsed.success) throw badRequest(`server name ${JSON.stringify(raw)}: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 'INVALID_SERVER_NAME');
  return parsed.data;
}

/** One server entry: exactly one of `command` (a local stdio server) or `url` (a Streamable HTTP server). */
export function parseServerEntry(body: unknown): McpServerConfig {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('a JSON object describing the server is required', 'INVALID_REQUEST');
  const entry = body as Record<string, unknown>;
  const hasCommand = entry.command !== undefined;
  const hasUrl = entry.url !== undefined;
  if (hasCommand === hasUrl) throw badRequest('give either "command" (a local stdio server) or "url" (an HTTP server), not both or neither', 'INVALID_REQUEST');
  return (hasCommand ? StdioSchema : HttpSchema).parse(entry);
}

/**
 * Editing the MCP server list one entry at a time (the page's editor): add or replace, switch on or off,
 * remove. Each change is written atomically to mcp_servers.json and the running servers follow at once.
 * A stdio entry is a command this machine will run, so every change refuses cross-site callers.
 */
export async function mcpServerRoutes(app: FastifyInstance, mcp: McpManager): Promise<void> {
  /** Writing over a file the user broke by hand would lose it; they fix it (or replace the whole list) first. */
  const currentServers = (): Record<string, McpServerConfig> => {
    if (mcp.configError) throw new ApiError(409, `the MCP server file cannot be read, so it is not changed: ${mcp.configError}`, 'MCP_CONFIG_INVALID');
    return mcp.currentConfig().mcpServers;
  };
  const answer = (name: string) => ({ success: true, name, config: mcp.currentConfig(), servers: mcp.status() });

  app.put<{ Params: { name: string } }>('/mcp/servers/:name', { preHandler: refuseCrossSite }, async (req) => {
    const name = serverName(req.params.name);
    const entry = parseServerEntry(req.body);
    // Read, change and write without an await in between: concurrent edits of different entries both land.
    await mcp.replaceConfig({ mcpServers: { ...currentServers(), [name]: entry } });
    return answer(name);
  });

  app.patch<{ Params: { name: string } }>('/mcp/servers/:name', { preHandler: refuseCrossSite }, async (req) => {
    const name = serverName(req.params.name);
    const { disabled } = PatchBodySchema.parse(req.body ?? {});
    const servers = currentServers();
    const entry = servers[name];
    if (!entry) throw notFound(`no MCP server named "${name}"`, 'MCP_SERVER_NOT_FOUND');
    const next: McpServerConfig = { ...entry, disabled };
    if (!disabled) delete next.disabled;
    await mcp.replaceConfig({ mcpServers: { ...servers, [name]: next } });
    return answer(name);
  });

  app.delete<{ Params: { name: string } }>('/mcp/servers/:name', { preHandler: refuseCrossSite }, async (req) => {
    const name = serverName(req.params.name);
    const servers = currentServers();
    if (!servers[name]) throw notFound(`no MCP server named "${name}"`, 'MCP_SERVER_NOT_FOUND');
    const { [name]: _removed, ...rest } = servers;
    await mcp.replaceConfig({ mcpServers: rest });
    return answer(name);
  });
}
