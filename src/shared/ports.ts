import { isIPv4, isIPv6 } from 'node:net';

/**
 * Service ports and the environment variables that override them (shared/spec: memory.md port table).
 * `NEKO_<NAME>` wins over the legacy `<NAME>`; values must be 0–65535 (0 = ephemeral, for tests).
 */
export const SERVICE_PORTS = {
  main: { env: 'MAIN_SERVER_PORT', port: 48911 },
  memory: { env: 'MEMORY_SERVER_PORT', port: 48912 },
  monitor: { env: 'MONITOR_SERVER_PORT', port: 48913 },
  agent: { env: 'TOOL_SERVER_PORT', port: 48915 },
} as const;

export const ZMQ_PORTS = {
  sessionPub: { env: 'ZMQ_SESSION_PUB_PORT', port: 48961 },
  agentPush: { env: 'ZMQ_AGENT_PUSH_PORT', port: 48962 },
  analyzePush: { env: 'ZMQ_ANALYZE_PUSH_PORT', port: 48963 },
} as const;

export type ServiceName = keyof typeof SERVICE_PORTS;
export type ZmqSocketName = keyof typeof ZMQ_PORTS;
export const SERVICE_NAMES = Object.keys(SERVICE_PORTS) as ServiceName[];

export class PortConfigError extends Error {}

/** Reads `NEKO_<name>` (or legacy `<name>`), falling back to `fallback`. */
export function readPortEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[`NEKO_${name}`] ?? env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new PortConfigError(`NEKO_${name}=${JSON.stringify(raw)} is not a port number (0-65535)`);
  }
  return port;
}

export function servicePort(service: ServiceName, env: NodeJS.ProcessEnv = process.env): number {
  const { env: name, port } = SERVICE_PORTS[service];
  return readPortEnv(name, port, env);
}

export function zmqPort(socket: ZmqSocketName, env: NodeJS.ProcessEnv = process.env): number {
  const { env: name, port } = ZMQ_PORTS[socket];
  return readPortEnv(name, port, env);
}

/** The variable a user sets to move a service, for error messages. */
export function servicePortVariable(service: ServiceName): string {
  return `NEKO_${SERVICE_PORTS[service].env}`;
}

/** Host services bind to: loopback unless NEKO_BIND_HOST says otherwise. */
export function bindHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.NEKO_BIND_HOST?.trim() || '127.0.0.1';
}

/**
 * True for `localhost` and loopback IP literals only. A name like `127.example.com` is a DNS name that can point
 * anywhere, so it is not loopback (it would open the Host check to DNS rebinding and the TTS URL guard to SSRF).
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (!isIPv6(h)) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped) return mapped[1]!.startsWith('127.');
  // IPv4-mapped 127.0.0.0/8 as the URL parser writes it (::ffff:7f00:1).
  return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(h);
}

/** URL other services use to reach `service` (always over loopback unless NEKO_<SVC>_HOST is set). */
export function serviceUrl(service: ServiceName, env: NodeJS.ProcessEnv = process.env): string {
  const host = env[`NEKO_${service.toUpperCase()}_HOST`]?.trim() || '127.0.0.1';
  return `http://${host}:${servicePort(service, env)}`;
}
