import { join } from 'node:path';
import type { ConfigStore } from '../shared/config/store.js';
import type { Logger } from '../shared/log.js';
import { AgentService } from './agent-service.js';
import { BrowserPool } from './browser/browser-pool.js';
import { runBrowserTask } from './browser/browser-runner.js';
import { Capabilities } from './capabilities.js';
import { runComputerTask } from './computer/computer-runner.js';
import { Desktop } from './computer/desktop.js';
import type { AgentEventSink } from './events.js';
import { AgentState } from './flags.js';
import { mcpConfigPath } from './mcp/mcp-config.js';
import { McpManager } from './mcp/mcp-manager.js';
import { AgentModel } from './model/agent-model.js';
import { SimAgentEndpoint } from './model/sim-endpoint.js';
import { TaskPipeline } from './pipeline.js';
import { AgentDb } from './store/agent-db.js';
import { TaskRegistry } from './tasks/task-registry.js';

export interface AssembledAgent {
  agent: AgentService;
  pipeline: TaskPipeline;
  model: AgentModel;
  mcp: McpManager;
  close(): Promise<void>;
}

/** Builds the agent's parts and wires them together; the entry point adds HTTP and ZeroMQ around it. */
export async function assembleAgent(deps: { config: ConfigStore; env: NodeJS.ProcessEnv; log: Logger; events: AgentEventSink }): Promise<AssembledAgent> {
  const { config, env, log, events } = deps;
  const db = new AgentDb(join(config.paths.state, 'agent.sqlite'));
  const state = new AgentState(db);
  const registry = new TaskRegistry(db);
  const sim = new SimAgentEndpoint();
  const model = new AgentModel(config, sim);
  const browser = new BrowserPool(env, log);
  const desktop = new Desktop(env);
  const mcp = new McpManager(mcpConfigPath(config.paths.config), log);
  await mcp.reload();
  const capabilities = new Capabilities(state, model, browser, desktop, mcp, () => config.resolvedCore().isFreeVersion);
  // Screenshots go to the browser model unless turned off (text-only models reject images).
  const screenshots = env.NEKO_AGENT_SCREENSHOTS !== '0';
  const pipeline = new TaskPipeline({
    state,
    registry,
    model,
    mcp,
    ready: (kind) => capabilities.ready(kind),
    browser: async (run) => runBrowserTask(browser, await model.endpoint(), run, { screenshots }),
    computer: async (run) => runComputerTask(desktop, await model.endpoint(), run),
    events,
    log,
  });
  const agent = new AgentService({ state, registry, capabilities, pipeline, mcp, events, log });
  return {
    agent,
    pipeline,
    model,
    mcp,
    close: async () => {
      pipeline.close();
      agent.close();
      await Promise.all([mcp.close(), browser.close(), sim.close()]);
      db.close();
    },
  };
}
