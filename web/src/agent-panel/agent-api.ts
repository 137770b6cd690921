/** Typed calls to main's `/api/agent/*` routes (rest.md §6, plus neko's overview and MCP server editor). */
import { ApiError, callJson } from '../api';

export const FLAG_KEYS = ['mcp_enabled', 'browser_use_enabled', 'computer_use_enabled', 'user_plugin_enabled'] as const;
export type FlagKey = (typeof FLAG_KEYS)[number];
export type TaskStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface Availability {
  ready: boolean;
  reasons?: string[];
  capabilities_count?: number;
}

/** The agent's `GET /agent/flags` answer. */
export interface FlagsAnswer {
  agent_flags: Partial<Record<FlagKey, boolean>>;
  analyzer_enabled: boolean;
  agent_api_gate?: { ready: boolean; reasons: string[] };
  notification?: string | null;
}

export type Overview =
  | { online: false; error: string }
  | { online: true; flags: FlagsAnswer; availability: Record<'computer_use' | 'browser_use' | 'mcp', Availability>; tasks: AgentTask[] };

/** A task as `GET /tasks` and `agent_task_update` show it (agent.md §2.6, §3.4). */
export interface AgentTask {
  id: string;
  type?: string;
  status: TaskStatus | string;
  start_time?: string;
  end_time?: string | null;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: string | null;
  lanlan_name?: string | null;
  progress?: number | null;
  stage?: string | null;
  message?: string | null;
  step?: number | null;
  step_total?: number | null;
}

/** An entry of mcp_servers.json as the page sees it (env and header values masked). */
export interface McpEntry {
  type?: string;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  disabled?: boolean;
  timeout?: number;
}

export interface McpServerStatus {
  name: string;
  transport: string;
  state: 'connecting' | 'ready' | 'restarting' | 'stopped' | string;
  tools: string[];
  restarts?: number;
  last_error?: string | null;
}

export interface McpServersAnswer {
  config: { mcpServers: Record<string, McpEntry> };
  servers: McpServerStatus[];
  enabled: boolean;
  config_error?: string | null;
}

async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const data = await callJson<T>(method, path, body);
  // Some agent answers are 200 with `success: false` (a task that already ended): an error all the same.
  const answer = data as { success?: unknown; error?: unknown } | undefined;
  if (answer?.success === false) throw new ApiError(200, typeof answer.error === 'string' && answer.error ? answer.error : `${path} refused`, undefined, data);
  return data;
}

const API = '/api/agent';
const server = (name: string) => `${API}/mcp/servers/${encodeURIComponent(name)}`;

export const agentApi = {
  overview: () => call<Overview>('GET', `${API}/overview`),
  setAgentEnabled: (enabled: boolean, character: string) =>
    call('POST', `${API}/command`, { command: 'set_agent_enabled', enabled, lanlan_name: character }),
  setFlag: (key: FlagKey, value: boolean, character: string) => call('POST', `${API}/flags`, { lanlan_name: character, flags: { [key]: value } }),
  task: (id: string) => call<AgentTask>('GET', `${API}/tasks/${encodeURIComponent(id)}`),
  cancelTask: (id: string) => call('POST', `${API}/tasks/${encodeURIComponent(id)}/cancel`, {}),
  mcpServers: () => call<McpServersAnswer>('GET', `${API}/mcp/servers`),
  saveMcpServer: (name: string, entry: McpEntry) => call<McpServersAnswer>('PUT', server(name), entry),
  setMcpServerDisabled: (name: string, disabled: boolean) => call<McpServersAnswer>('PATCH', server(name), { disabled }),
  removeMcpServer: (name: string) => call<McpServersAnswer>('DELETE', server(name)),
};
