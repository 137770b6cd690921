export { AgentPanel, type AgentMessage, type AgentPanelOptions } from './agent-panel';
