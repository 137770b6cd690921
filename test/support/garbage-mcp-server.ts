// A stdio "MCP server" that follows the handshake but answers tool calls with junk, to check the agent survives
// servers that break the protocol. Speaks newline-delimited JSON-RPC by hand (no SDK) so it can send anything.
import { createInterface } from 'node:readline';

const TOOLS = [
  { name: 'result_not_object', description: 'Returns a JSON-RPC result that is a string, not a CallToolResult', inputSchema: { type: 'object', properties: {} } },
  { name: 'bad_content', description: 'Returns content parts of an unknown shape', inputSchema: { type: 'object', properties: {} } },
  { name: 'huge_text', description: 'Returns two megabytes of text', inputSchema: { type: 'object', properties: {} } },
  { name: 'noise_then_answer', description: 'Writes non-JSON lines to stdout, then a valid answer', inputSchema: { type: 'object', properties: {} } },
];

function send(message: unknown): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  let msg: { id?: number | string; method?: string; params?: { name?: string } };
  try {
    msg = JSON.parse(line);
  } catch {
    return;
  }
  if (msg.id === undefined) return; // notifications
  if (msg.method === 'initialize') {
    return send({ jsonrpc: '2.0', id: msg.id, result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'garbage', version: '0.0.1' } } });
  }
  if (msg.method === 'tools/list') return send({ jsonrpc: '2.0', id: msg.id, result: { tools: TOOLS } });
  if (msg.method === 'tools/call') {
    switch (msg.params?.name) {
      case 'result_not_object':
        return send({ jsonrpc: '2.0', id: msg.id, result: 'this is not a tool result' });
      case 'bad_content':
        return send({ jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'hologram', beams: 3 }, { type: 'text', text: 42 }] } });
      case 'huge_text':
        return send({ jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text: 'x'.repeat(2 * 1024 * 1024) }] } });
      case 'noise_then_answer':
        process.stdout.write('this line is not JSON\n{"also": "not json-rpc"}\n');
        return send({ jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text: 'answer after the noise' }] } });
      default:
        return send({ jsonrpc: '2.0', id: msg.id, error: { code: -32602, message: 'unknown tool' } });
    }
  }
  send({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'method not found' } });
});
