import { Pull, Push, Subscriber } from 'zeromq';
import type { Logger } from '../shared/log.js';
import type { ZmqSocketName } from '../shared/ports.js';
import {
  parseAnalyzeRequest, parseFrame, type AgentEventOf, type AgentEventType, type AnalyzeRequest, type SessionEvent,
} from '../shared/protocol/zmq.js';
import { LossySender } from '../shared/zmq/lossy-sender.js';
import { receiveFrames } from '../shared/zmq/receive-loop.js';

/** How many analyze event_ids are remembered for dedupe; retries arrive within a second, so this is plenty. */
export const SEEN_EVENT_IDS = 1024;
/** Events queued inside ZeroMQ while main is away; beyond this `emit` fails (counted) rather than grow. */
const EVENTS_PUSH_HWM = 1000;
/** Reconnect back-off while main is down: ZeroMQ doubles from 100 ms up to this cap. */
const RECONNECT_MAX_MS = 1000;
/** Unsent events are dropped quickly on close; main cannot use them once the agent is gone. */
const CLOSE_LINGER_MS = 100;

export type AnalyzeRequestHandler = (req: AnalyzeRequest) => void | Promise<void>;
export type SessionEventHandler = (event: SessionEvent) => void | Promise<void>;
export type AgentEventPayload<T extends AgentEventType> = Omit<AgentEventOf<T>, 'event_type' | 'lanlan_name'>;

export interface ZmqMainBridgeOptions {
  log: Logger;
  /** Host main binds its ZeroMQ sockets on. */
  host: string;
  ports: Record<ZmqSocketName, number>;
  /** Called once per analyze event_id (retries are acked but not handed on again). */
  onAnalyzeRequest?: AnalyzeRequestHandler;
  /** Session events other than analyze_request published on main's PUB socket. */
  onSessionEvent?: SessionEventHandler;
}

/** Insertion-ordered set that forgets its oldest entries beyond `limit`. */
class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly limit: number) {}

  /** Adds `id`; returns false if it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.limit) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }
}

/**
 * The agent's side of the main⇄agent ZeroMQ link (agent.md §3.1). The agent only connects, so ZeroMQ
 * reconnects by itself whenever main restarts. Every analyze_request carrying an event_id is acked on receipt
 * and handed to `onAnalyzeRequest` once, however often main retries it (spec §6.3.3 weakness fixed).
 */
export class ZmqMainBridge {
  private sub: Subscriber | undefined;
  private pull: Pull | undefined;
  private push: Push | undefined;
  private events: LossySender | undefined;
  private loops: Promise<void>[] = [];
  private readonly seen = new RecentIds(SEEN_EVENT_IDS);
  private analyzeReceived = 0;
  private analyzeDuplicates = 0;
  private rejectedFrames = 0;

  constructor(private readonly opts: ZmqMainBridgeOptions) {}

  /** Connects to main's three sockets. Returns at once: connection happens (and re-happens) in the background. */
  start(): void {
    if (this.sub) throw new Error('ZmqMainBridge already started');
    const { host, ports, log } = this.opts;
    const common = { linger: CLOSE_LINGER_MS, reconnectMaxInterval: RECONNECT_MAX_MS };
    this.sub = new Subscriber(common);
    this.pull = new Pull(common);
    this.push = new Push({ ...common, sendHighWaterMark: EVENTS_PUSH_HWM, sendTimeout: 0 });
    this.sub.subscribe();
    this.sub.connect(`tcp://${host}:${ports.sessionPub}`);
    this.pull.connect(`tcp://${host}:${ports.analyzePush}`);
    this.push.connect(`tcp://${host}:${ports.agentPush}`);
    this.events = new LossySender(this.push, 'agent-push', log);
    this.loops = [
      receiveFrames(this.pull, 'analyze-pull', log, (frame) => this.handleFrame(frame, 'analyze-pull')),
      receiveFrames(this.sub, 'session-sub', log, (frame) => this.handleFrame(frame, 'session-sub')),
    ];
    log.info({ event: 'zmq_connecting', host, ports }, 'zmq main bridge connecting');
  }

  /** Sends `{event_type, lanlan_name, ...payload}` to main. False if it could not be queued (main away too long). */
  emit<T extends AgentEventType>(eventType: T, lanlanName: string | null, payload: AgentEventPayload<T>): Promise<boolean> {
    if (!this.events) return Promise.resolve(false);
    return this.events.send(JSON.stringify({ event_type: eventType, lanlan_name: lanlanName, ...payload }));
  }

  status(): Record<string, unknown> {
    return {
      started: this.sub !== undefined,
      analyze_received: this.analyzeReceived,
      analyze_duplicates: this.analyzeDuplicates,
      rejected_frames: this.rejectedFrames,
      events_push: this.events?.stats(),
    };
  }

  async close(): Promise<void> {
    const sockets = [this.sub, this.pull, this.push];
    this.sub = this.pull = this.push = undefined;
    this.events = undefined;
    for (const s of sockets) s?.close();
    await Promise.all(this.loops);
  }

  private handleFrame(frame: Buffer, source: string): void {
    const parsed = parseFrame(frame);
    if (!parsed.ok) return this.reject(source, parsed.error, frame.length);
    const event = parsed.event;
    if (event.event_type !== 'analyze_request') {
      if (source === 'analyze-pull') return this.reject(source, `unexpected event_type "${event.event_type}"`, frame.length);
      this.runHandler('session event', () => this.opts.onSessionEvent?.(event));
      return;
    }
    const request = parseAnalyzeRequest(event);
    if (!request.ok) return this.reject(source, request.error, frame.length);
    this.acceptAnalyze(request.event);
  }

  private acceptAnalyze(req: AnalyzeRequest): void {
    this.analyzeReceived += 1;
    if (req.event_id !== undefined) {
      // Ack before anything else: main gives up after 500 ms, and a retry must be acked again too.
      void this.emit('analyze_ack', req.lanlan_name, { event_id: req.event_id });
      if (!this.seen.add(req.event_id)) {
        this.analyzeDuplicates += 1;
        this.opts.log.debug({ event_id: req.event_id }, 'duplicate analyze_request acked, not handled again');
        return;
      }
    }
    this.runHandler('analyze request', () => this.opts.onAnalyzeRequest?.(req));
  }

  /** Runs a handler without letting it block or break the receive loop (async failures are logged too). */
  private runHandler(what: string, call: () => void | Promise<void> | undefined): void {
    try {
      const result = call();
      if (result instanceof Promise) result.catch((err: unknown) => this.opts.log.error({ err }, `${what} handler failed`));
    } catch (err) {
      this.opts.log.error({ err }, `${what} handler failed`);
    }
  }

  private reject(source: string, reason: string, bytes: number): void {
    this.rejectedFrames += 1;
    this.opts.log.warn({ socket: source, reason, bytes }, 'dropped a message from main');
  }
}
