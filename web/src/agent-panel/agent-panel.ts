import { onLanguageChanged, t } from '../i18n';
import type { SessionState } from '../session-state';
import { el } from '../ui/dom';
import type { ConnectionState } from '../ws-client';
import { agentApi, type AgentTask } from './agent-api';
import { applySnapshot, offlineStatus, statusFromOverview, type AgentStatus } from './agent-status';
import { FlagsSection, type SwitchKey } from './flags-section';
import { McpEditor } from './mcp-editor';
import { notificationText } from './reason-text';
import { TaskChip } from './task-chip';
import { TaskList } from './task-list';
import { isActive, TaskStore } from './task-store';

/** The `agent_*` messages main pushes on the chat socket (websocket.md §3.9). */
export type AgentMessage =
  | { type: 'agent_status_update'; snapshot: Record<string, unknown> }
  | { type: 'agent_task_update'; task: Record<string, unknown> }
  | { type: 'agent_notification'; text: string; source: string; status: string; error_message?: string };

export interface AgentPanelOptions {
  /** Buttons that open the panel (the header button). */
  openButton: HTMLButtonElement;
  /** The chip on the stage with the running-task count; it opens the panel too. */
  chip: HTMLButtonElement;
  session: SessionState;
  /** The character this page talks to (tasks and flags are theirs). */
  character: () => string;
}

/** Pushed status updates come in bursts (a task starting bumps the revision several times): one re-read each. */
const REFRESH_DEBOUNCE_MS = 400;
const SWEEP_EVERY_MS = 30_000;
const TICK_MS = 1000;

/**
 * The agent panel: a drawer (a full-screen sheet on phones) with the task HUD, the capability switches and
 * the MCP server editor, kept live by the chat socket's `agent_*` messages. Its state comes from
 * `GET /api/agent/overview` at start, on every (re)connect and whenever the panel opens.
 */
export class AgentPanel {
  private readonly dialog: HTMLDialogElement;
  private readonly notice = el('p', { class: 'agent-notice', role: 'status' });
  private readonly title = el('h2', { id: 'agent-panel-title', class: 'agent-panel-title' });
  private readonly closeButton = el('button', { type: 'button', class: 'icon-button agent-close' });
  private readonly headings: HTMLElement[] = [];
  private readonly store: TaskStore;
  private readonly tasks: TaskList;
  private readonly flags: FlagsSection;
  private readonly mcp: McpEditor;
  private readonly chip: TaskChip;
  private status: AgentStatus | null = null;
  private refreshTimer?: ReturnType<typeof setTimeout>;
  private tickTimer?: ReturnType<typeof setInterval>;
  private readonly fetchingResult = new Set<string>();

  constructor(private readonly opts: AgentPanelOptions) {
    this.store = new TaskStore(opts.character());
    this.tasks = new TaskList(this.store, { cancel: (id) => this.cancel(id), dismiss: (id) => this.store.dismiss(id) });
    this.flags = new FlagsSection((key, on) => this.toggle(key, on));
    this.mcp = new McpEditor(() => this.scheduleRefresh());
    this.chip = new TaskChip(opts.chip);
    this.dialog = this.build();
    document.body.append(this.dialog);

    this.store.onChange(() => this.chip.setRunning(this.store.runningCount));
    opts.openButton.addEventListener('click', () => this.open());
    this.chip.onClick(() => this.open());
    this.closeButton.addEventListener('click', () => this.close());
    this.dialog.addEventListener('close', () => this.stopTicking());
    // A click on the backdrop (outside the sheet) closes the panel.
    this.dialog.addEventListener('click', (e) => {
      if (e.target === this.dialog) this.close();
    });
    let connection: ConnectionState | undefined;
    opts.session.subscribe((view) => {
      // Each (re)connect: the list again, since updates sent while we were away are lost.
      if (view.connection === 'open' && connection !== 'open') {
        this.store.setCharacter(opts.character());
        void this.reload();
      }
      connection = view.connection;
    });
    setInterval(() => this.store.sweep(), SWEEP_EVERY_MS);
    onLanguageChanged(() => this.refreshTexts());
    this.refreshTexts();
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  open(): void {
    if (!this.dialog.open) {
      this.dialog.showModal();
      // Tasks first: the sheet opens at its top, whatever was scrolled to last time.
      this.dialog.firstElementChild!.scrollTop = 0;
    }
    this.startTicking();
    void this.reload();
    void this.mcp.load();
  }

  close(): void {
    this.dialog.close();
  }

  /** One `agent_*` message from the chat socket. */
  handle(message: AgentMessage): void {
    if (message.type === 'agent_task_update') {
      const task = message.task as unknown as AgentTask;
      if (typeof task.id !== 'string') return;
      this.store.apply(task);
      this.fetchResult(task);
    } else if (message.type === 'agent_status_update') {
      if (this.status) {
        this.status = applySnapshot(this.status, message.snapshot);
        this.flags.show(this.status);
      }
      for (const task of (message.snapshot.active_tasks as AgentTask[] | undefined) ?? []) {
        if (task && typeof task.id === 'string' && !this.store.get(task.id)) this.store.apply(task);
      }
      if (this.dialog.open) this.scheduleRefresh();
    }
  }

  private build(): HTMLDialogElement {
    const dialog = el('dialog', { class: 'agent-panel', 'aria-labelledby': 'agent-panel-title' });
    const sheet = el('div', { class: 'agent-sheet' });
    const head = el('header', { class: 'agent-panel-head' });
    this.closeButton.append(svgClose());
    head.append(this.title, this.closeButton);
    const section = (id: string, key: string, body: HTMLElement) => {
      const h = el('h3', { id, class: 'agent-section-title', 'data-key': key });
      this.headings.push(h);
      const s = el('section', { class: `agent-section ${id}`, 'aria-labelledby': id });
      s.append(h, body);
      return s;
    };
    this.notice.hidden = true;
    sheet.append(
      head,
      this.notice,
      section('agent-tasks-heading', 'agent.tasks.heading', this.tasks.element),
      section('agent-flags-heading', 'agent.flags.heading', this.flags.element),
      section('agent-mcp-heading', 'agent.mcp.heading', this.mcp.element),
    );
    dialog.append(sheet);
    return dialog;
  }

  /** The overview: switches, availability, and the task list. */
  private async reload(): Promise<void> {
    let status: AgentStatus;
    try {
      const overview = await agentApi.overview();
      status = statusFromOverview(overview);
      if (overview.online) this.store.replaceAll(overview.tasks);
    } catch (err) {
      status = offlineStatus((err as Error).message);
    }
    this.status = status;
    this.flags.show(status);
    if (!status.online) this.say(t('agent.panel.offline', { error: status.error ?? '' }));
    else if (status.notification) this.say(notificationText(status.notification) ?? '');
    else if (this.notice.dataset.kind === 'offline') this.say('');
    this.notice.dataset.kind = status.online ? 'info' : 'offline';
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      void this.reload();
      if (!this.mcp.editingOpen) void this.mcp.load();
    }, REFRESH_DEBOUNCE_MS);
  }

  private async toggle(key: SwitchKey, on: boolean): Promise<void> {
    const character = this.opts.character();
    this.say('');
    try {
      if (key === 'agent') await agentApi.setAgentEnabled(on, character);
      else await agentApi.setFlag(key, on, character);
    } catch (err) {
      this.say(t('agent.flags.failed', { name: t(`agent.flags.${key}.label`), error: (err as Error).message }));
    }
    await this.reload();
    const now = key === 'agent' ? this.status?.agent.on : this.status?.capabilities[key].on;
    // Refused without a notice from the agent (it may have been read elsewhere): still say so.
    if (this.status?.online && on && now === false && this.notice.hidden) this.say(t('agent.flags.refused', { name: t(`agent.flags.${key}.label`) }));
    if (key === 'mcp_enabled' || key === 'agent') void this.mcp.load();
  }

  private async cancel(id: string): Promise<void> {
    try {
      await agentApi.cancelTask(id);
    } catch (err) {
      this.say(t('agent.tasks.cancelFailed', { error: (err as Error).message }));
      return;
    }
    // The socket's task update says so too; this makes it show at once even if that update is late.
    const task = this.store.get(id);
    if (task && isActive(task)) this.store.apply({ ...task, status: 'cancelled', end_time: new Date().toISOString() });
  }

  /** `agent_task_update` carries no result: a finished task's record is read once to show it. */
  private fetchResult(task: AgentTask): void {
    const known = this.store.get(task.id);
    if (!known || isActive(known) || known.status === 'cancelled' || known.result !== undefined || this.fetchingResult.has(task.id)) return;
    this.fetchingResult.add(task.id);
    agentApi
      .task(task.id)
      .then((full) => {
        const current = this.store.get(task.id);
        if (current) this.store.apply({ ...current, result: full.result ?? null, error: full.error ?? current.error ?? null });
      })
      .catch(() => {
        // The HUD still shows the task as finished; only its answer is missing.
      })
      .finally(() => this.fetchingResult.delete(task.id));
  }

  private say(text: string): void {
    this.notice.textContent = text;
    this.notice.hidden = !text;
  }

  private startTicking(): void {
    if (this.tickTimer) return;
    this.tickTimer = setInterval(() => this.tasks.tick(), TICK_MS);
  }

  private stopTicking(): void {
    clearInterval(this.tickTimer);
    this.tickTimer = undefined;
  }

  private refreshTexts(): void {
    this.title.textContent = t('agent.panel.title');
    const close = t('agent.panel.close');
    this.closeButton.setAttribute('aria-label', close);
    this.closeButton.title = close;
    for (const h of this.headings) h.textContent = t(h.dataset.key!);
    const label = t('agent.open');
    this.opts.openButton.setAttribute('aria-label', label);
    this.opts.openButton.title = label;
    this.chip.refresh();
    this.tasks.refresh();
    this.flags.refresh();
    this.mcp.refresh();
  }
}

function svgClose(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M6 6l12 12M18 6L6 18');
  svg.append(path);
  return svg;
}
