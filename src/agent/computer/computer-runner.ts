import type { AgentModelEndpoint } from '../model/chat-client.js';
import { runActionLoop } from '../tasks/action-loop.js';
import type { TaskOutcome, TaskRun } from '../tasks/executor.js';
import { computerActions } from './computer-actions.js';
import type { Desktop, ScreenSize } from './desktop.js';

export const COMPUTER_MAX_STEPS = 30;

const SYSTEM = [
  "You operate the user's desktop with mouse and keyboard to complete their task. Each turn you get a screenshot, the screen size",
  'and the focused window. Coordinates x and y from 0 to 999 are fractions of the screen width and height. Take exactly one action',
  'per turn with the tools; call done when the task is complete or impossible, with what the user should know.',
].join(' ');

/** One computer-use task: screenshot → model → one whitelisted action, on the configured X display. */
export async function runComputerTask(desktop: Desktop, endpoint: AgentModelEndpoint, run: TaskRun): Promise<TaskOutcome> {
  let screen: ScreenSize = await desktop.screenSize(run.signal);
  return runActionLoop({
    endpoint,
    system: SYSTEM,
    actions: computerActions(desktop, () => screen),
    maxSteps: COMPUTER_MAX_STEPS,
    run,
    observe: async () => {
      screen = await desktop.screenSize(run.signal);
      const [shot, window] = await Promise.all([desktop.screenshot(1280, run.signal), desktop.activeWindowName(run.signal)]);
      return {
        text: `SCREEN: ${screen.width}x${screen.height}\nACTIVE_WINDOW: ${window || '(none)'}`,
        image: `data:image/jpeg;base64,${shot.toString('base64')}`,
      };
    },
  });
}
