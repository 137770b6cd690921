import { currentLanguage, t } from '../i18n';
import { el } from '../ui/dom';
import type { AgentTask } from './agent-api';
import { isActive, type TaskStore } from './task-store';
import { clock, elapsedMs, instructionOf, percentText, progressOf, resultText, taskKind, toolOf } from './task-view';

export interface TaskActions {
  cancel(id: string): Promise<void>;
  dismiss(id: string): void;
}

/** One task's card, updated in place so focus and the running clock survive updates. */
class TaskCard {
  readonly element: HTMLLIElement;
  private readonly kind = el('span', { class: 'agent-task-kind' });
  private readonly status = el('span', { class: 'agent-task-status' });
  private readonly clockText = el('span', { class: 'agent-task-clock' });
  private readonly instruction = el('p', { class: 'agent-task-instruction' });
  private readonly tool = el('p', { class: 'agent-task-tool' });
  private readonly progress = el('progress', { class: 'agent-task-progress', max: '1' });
  private readonly stage = el('p', { class: 'agent-task-stage' });
  private readonly outcome = el('p', { class: 'agent-task-outcome' });
  private readonly cancel = el('button', { type: 'button', class: 'agent-button agent-task-cancel' });
  private readonly dismiss = el('button', { type: 'button', class: 'agent-button agent-button-quiet agent-task-dismiss' });
  private task: AgentTask;

  constructor(task: AgentTask, actions: TaskActions) {
    this.task = task;
    this.element = el('li', { class: 'agent-task', 'data-task-id': task.id });
    const head = el('div', { class: 'agent-task-head' });
    head.append(this.kind, this.status, this.clockText);
    const buttons = el('div', { class: 'agent-task-buttons' });
    buttons.append(this.cancel, this.dismiss);
    this.element.append(head, this.instruction, this.tool, this.progress, this.stage, this.outcome, buttons);
    this.cancel.addEventListener('click', () => {
      this.cancel.disabled = true;
      void actions.cancel(this.task.id).finally(() => {
        this.cancel.disabled = false;
      });
    });
    this.dismiss.addEventListener('click', () => actions.dismiss(this.task.id));
    this.update(task);
  }

  update(task: AgentTask): void {
    this.task = task;
    const active = isActive(task);
    const instruction = instructionOf(task) || t('agent.tasks.noInstruction');
    this.element.dataset.status = task.status;
    this.kind.textContent = t(`agent.tasks.kind.${taskKind(task)}`);
    this.kind.dataset.kind = taskKind(task);
    this.status.textContent = t(`agent.tasks.status.${task.status}`, { defaultValue: task.status });
    this.instruction.textContent = instruction;
    const tool = toolOf(task);
    this.tool.textContent = tool ?? '';
    this.tool.hidden = !tool;
    this.progress.hidden = !active;
    this.progress.setAttribute('aria-label', t('agent.tasks.progress', { instruction }));
    const fraction = progressOf(task);
    const stage = [task.step && task.step_total ? t('agent.tasks.step', { step: task.step, total: task.step_total }) : '', task.message ?? task.stage ?? ''].filter(Boolean).join(' · ');
    // No value attribute = an indeterminate bar: the task runs but does not say how far it is. A determinate one
    // is a progressbar whose value screen readers hear with the step and message (aria-valuetext).
    if (fraction === null) {
      this.progress.removeAttribute('value');
      this.progress.removeAttribute('aria-valuetext');
    } else {
      this.progress.value = fraction;
      this.progress.setAttribute('aria-valuetext', [percentText(fraction, currentLanguage()), stage].filter(Boolean).join(' · '));
    }
    this.stage.textContent = active ? stage : '';
    this.stage.hidden = !active || !stage;
    const failed = task.status === 'failed' || task.status === 'cancelled';
    const outcome = active ? '' : failed ? (task.error ?? '') : resultText(task.result);
    this.outcome.textContent = outcome;
    this.outcome.hidden = !outcome;
    this.outcome.dataset.kind = failed ? 'error' : 'result';
    this.cancel.hidden = !active;
    this.cancel.textContent = t('agent.tasks.cancel');
    this.cancel.setAttribute('aria-label', t('agent.tasks.cancelLabel', { instruction }));
    this.dismiss.hidden = active;
    this.dismiss.textContent = t('agent.tasks.dismiss');
    this.dismiss.setAttribute('aria-label', t('agent.tasks.dismissLabel', { instruction }));
    this.tick(Date.now());
  }

  tick(now: number): void {
    const time = clock(elapsedMs(this.task, now));
    this.clockText.textContent = isActive(this.task) ? t('agent.tasks.elapsed', { time }) : t('agent.tasks.took', { time });
  }
}

/** The task HUD inside the panel: running tasks with progress and cancel, finished ones with their result. */
export class TaskList {
  readonly element: HTMLElement;
  private readonly list = el('ol', { class: 'agent-tasks' });
  private readonly empty = el('p', { class: 'agent-empty' });
  private readonly clear = el('button', { type: 'button', class: 'agent-button agent-button-quiet agent-tasks-clear' });
  private readonly cards = new Map<string, TaskCard>();

  constructor(
    private readonly store: TaskStore,
    private readonly actions: TaskActions,
  ) {
    this.element = el('div', { class: 'agent-tasks-wrap' });
    this.element.append(this.empty, this.list, this.clear);
    this.clear.addEventListener('click', () => store.dismissFinished());
    store.onChange(() => this.render());
    this.render();
  }

  render(): void {
    const tasks = this.store.list();
    const ids = new Set(tasks.map((task) => task.id));
    for (const [id, card] of this.cards) {
      if (!ids.has(id)) {
        card.element.remove();
        this.cards.delete(id);
      }
    }
    tasks.forEach((task, index) => {
      let card = this.cards.get(task.id);
      if (card) card.update(task);
      else {
        card = new TaskCard(task, this.actions);
        this.cards.set(task.id, card);
      }
      // Keep the order (running first) without re-inserting cards that are already in place.
      if (this.list.children[index] !== card.element) this.list.insertBefore(card.element, this.list.children[index] ?? null);
    });
    this.empty.textContent = t('agent.tasks.empty');
    this.empty.hidden = tasks.length > 0;
    this.clear.textContent = t('agent.tasks.clear');
    this.clear.hidden = !tasks.some((task) => !isActive(task));
  }

  tick(): void {
    const now = Date.now();
    for (const card of this.cards.values()) card.tick(now);
  }

  /** Language changed: every text again. */
  refresh(): void {
    for (const [id, card] of this.cards) {
      const task = this.store.get(id);
      if (task) card.update(task);
    }
    this.render();
  }
}
