import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Publisher, Pull, Push } from 'zeromq';
import { StartupError } from '../../shared/http/service.js';
import type { Logger } from '../../shared/log.js';
import { ZMQ_PORTS, type ZmqSocketName } from '../../shared/ports.js';
import {
  parseAgentEvent, type AgentEvent, type AgentEventOf, type AgentEventType, type AnalyzeRequest, type SessionEvent,
} from '../../shared/protocol/zmq.js';
import { LossySender } from '../../shared/zmq/lossy-sender.js';
import { receiveFrames } from '../../shared/zmq/receive-loop.js';

/** The spec's ack window for one analyze_request attempt (agent.md §3.3). */
export const ANALYZE_ACK_TIMEOUT_MS = 500;
/** One retry with the same event_id, as the original does; worst case 2 × 500 ms before giving up. */
export const ANALYZE_RETRIES = 1;
/** Short linger: unsent session events and analyze requests are worthless once main is shutting down. */
const CLOSE_LINGER_MS = 100;
/** Per-peer queue limits inside ZeroMQ; beyond them sends fail (counted) instead of growing memory. */
const SESSION_PUB_HWM = 1000;
const ANALYZE_PUSH_HWM = 100;
const AGENT_PULL_HWM = 1000;

export type ZmqPorts = Record<ZmqSocketName, number>;
export type ZmqEndpoints = Record<ZmqSocketName, string> & { ports: ZmqPorts };

/** A ZeroMQ port main must bind is taken or unusable; the message names the port and the variable that moves it. */
export class ZmqBindError extends StartupError {}

type BridgeEvents = { [K in AgentEventType]: [AgentEventOf<K>] } & { event: [AgentEvent] };

export type AnalyzeRequestInput = Omit<AnalyzeRequest, 'event_type' | 'event_id'>;

interface Sockets {
  pub: Publisher;
  pull: Pull;
  push: Push;
  pubSender: LossySender;
  pushSender: LossySender;
}

/**
 * Main's side of the main⇄agent ZeroMQ link (agent.md §3.1). Main binds all three sockets, so the agent can
 * come and go: ZeroMQ accepts its reconnections, and while it is away sends fail fast and are counted.
 *
 * Agent→main events are emitted by `event_type` (and all of them as `event`), already validated.
 */
export class ZmqAgentBridge extends EventEmitter<BridgeEvents> {
  private sockets: Sockets | undefined;
  private readonly ackWaiters = new Map<string, () => void>();
  private readonly closing = new AbortController();
  private receiving: Promise<void> | undefined;
  private agentPeers = 0;
  private rejectedFrames = 0;
  private analyzeAcked = 0;
  private analyzeFailed = 0;

  constructor(private readonly log: Logger) {
    super();
  }

  /** Binds PUB, PULL and PUSH on `host`; port 0 picks a free port (tests). Returns the bound endpoints. */
  async start(opts: { host: string; ports: ZmqPorts }): Promise<ZmqEndpoints> {
    if (this.sockets) throw new Error('ZmqAgentBridge already started');
    const pub = new Publisher({ linger: CLOSE_LINGER_MS, sendHighWaterMark: SESSION_PUB_HWM, sendTimeout: 0 });
    const pull = new Pull({ linger: 0, receiveHighWaterMark: AGENT_PULL_HWM });
    const push = new Push({ linger: CLOSE_LINGER_MS, sendHighWaterMark: ANALYZE_PUSH_HWM, sendTimeout: 0 });
    const all = [pub, pull, push];
    try {
      await bindOrExplain(pub, opts.host, opts.ports.sessionPub, 'sessionPub');
      await bindOrExplain(pull, opts.host, opts.ports.agentPush, 'agentPush');
      await bindOrExplain(push, opts.host, opts.ports.analyzePush, 'analyzePush');
    } catch (err) {
      for (const s of all) s.close();
      throw err;
    }
    push.events.on('accept', () => { this.agentPeers += 1; });
    push.events.on('disconnect', () => { this.agentPeers = Math.max(0, this.agentPeers - 1); });
    this.sockets = {
      pub, pull, push,
      pubSender: new LossySender(pub, 'session-pub', this.log),
      pushSender: new LossySender(push, 'analyze-push', this.log),
    };
    this.receiving = receiveFrames(pull, 'agent-pull', this.log, (frame) => this.handleFrame(frame));
    const endpoints = {
      sessionPub: pub.lastEndpoint ?? '',
      agentPush: pull.lastEndpoint ?? '',
      analyzePush: push.lastEndpoint ?? '',
    };
    const ports = {
      sessionPub: endpointPort(endpoints.sessionPub),
      agentPush: endpointPort(endpoints.agentPush),
      analyzePush: endpointPort(endpoints.analyzePush),
    };
    this.log.info({ event: 'zmq_bound', ...endpoints }, 'zmq agent bridge bound');
    return { ...endpoints, ports };
  }

  /**
   * Publishes a session event to whoever subscribes. Lossy by nature: PUB drops messages when no agent is
   * subscribed yet (slow joiner) or its queue is full. Use requestAnalyze for what must arrive.
   */
  async publishSessionEvent(event: SessionEvent): Promise<boolean> {
    if (!this.sockets) return false;
    return this.sockets.pubSender.send(JSON.stringify(event));
  }

  /**
   * Pushes an analyze_request and waits for its analyze_ack: ANALYZE_ACK_TIMEOUT_MS per attempt, one retry with
   * the same event_id (the agent dedupes by it). Resolves false when the agent is absent or silent; never throws.
   */
  async requestAnalyze(req: AnalyzeRequestInput): Promise<boolean> {
    const sockets = this.sockets;
    if (!sockets || this.closing.signal.aborted) return false;
    const eventId = randomUUID().replace(/-/g, '');
    const frame = JSON.stringify({ ...req, event_type: 'analyze_request', event_id: eventId });
    const acked = new Promise<void>((resolve) => this.ackWaiters.set(eventId, resolve));
    try {
      for (let attempt = 0; attempt <= ANALYZE_RETRIES; attempt++) {
        if (!(await sockets.pushSender.send(frame))) continue;
        if (await this.settlesWithin(acked, ANALYZE_ACK_TIMEOUT_MS)) {
          this.analyzeAcked += 1;
          return true;
        }
        this.log.debug({ event_id: eventId, attempt }, 'analyze_request not acked in time');
      }
      this.analyzeFailed += 1;
      this.log.info({ event_id: eventId, lanlan_name: req.lanlan_name }, 'analyze_request not acknowledged: agent unavailable');
      return false;
    } finally {
      this.ackWaiters.delete(eventId);
    }
  }

  /** Counters for /health and tests. */
  status(): Record<string, unknown> {
    return {
      started: this.sockets !== undefined,
      agent_peers: this.agentPeers,
      session_pub: this.sockets?.pubSender.stats(),
      analyze_push: this.sockets?.pushSender.stats(),
      analyze_acked: this.analyzeAcked,
      analyze_failed: this.analyzeFailed,
      rejected_frames: this.rejectedFrames,
      pending_acks: this.ackWaiters.size,
    };
  }

  async close(): Promise<void> {
    this.closing.abort();
    const sockets = this.sockets;
    this.sockets = undefined;
    if (!sockets) return;
    sockets.pub.close();
    sockets.push.close();
    sockets.pull.close();
    await this.receiving;
  }

  private handleFrame(frame: Buffer): void {
    const parsed = parseAgentEvent(frame);
    if (!parsed.ok) {
      this.rejectedFrames += 1;
      this.log.warn({ reason: parsed.error, bytes: frame.length }, 'dropped a message from the agent');
      return;
    }
    const event = parsed.event;
    if (event.event_type === 'analyze_ack') this.ackWaiters.get(event.event_id)?.();
    this.deliver(event.event_type, event);
    this.deliver('event', event);
  }

  /**
   * Calls each listener in its own try: a throwing listener (inside the receive loop) is logged and neither
   * stops the other listeners nor the loop, which plain `emit` would. rawListeners keeps `once` semantics.
   */
  private deliver(name: AgentEventType | 'event', event: AgentEvent): void {
    for (const listener of this.rawListeners(name) as Array<(e: AgentEvent) => void>) {
      try {
        listener(event);
      } catch (err) {
        this.log.error({ err, event_type: event.event_type }, 'agent event listener failed');
      }
    }
  }

  /** True if `promise` settles within `ms`, false on timeout or when the bridge closes. */
  private settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const signal = this.closing.signal;
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(false), ms);
      function finish(value: boolean) {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      }
      signal.addEventListener('abort', onAbort);
      void promise.then(() => finish(true));
    });
  }
}

async function bindOrExplain(socket: Publisher | Pull | Push, host: string, port: number, name: ZmqSocketName): Promise<void> {
  try {
    await socket.bind(`tcp://${host}:${port}`);
  } catch (err) {
    const variable = `NEKO_${ZMQ_PORTS[name].env}`;
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ZmqBindError(`ZeroMQ port ${port} (${name}) is already in use on ${host}: stop the other program or set ${variable} to another port`);
    }
    throw new ZmqBindError(`cannot bind ZeroMQ ${name} on tcp://${host}:${port} (${(err as Error).message}); ${variable} sets its port`);
  }
}

function endpointPort(endpoint: string): number {
  return Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
}
