/** The wire format is 48 kHz both ways (websocket.md §4), so one context at that rate serves capture and playback. */
export const SAMPLE_RATE = 48_000;

let shared: AudioContext | undefined;

/** The page's AudioContext, created on first use. Browsers start it suspended until a user gesture: see `resumeAudio`. */
export function audioContext(): AudioContext {
  shared ??= new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: 'interactive' });
  return shared;
}

/** The context if something already created it (reading stats must not create one outside a gesture). */
export function existingAudioContext(): AudioContext | undefined {
  return shared;
}

/**
 * Creates and resumes the context on the user's first click or key press, so replies to typed messages can
 * be heard too (creating it earlier only earns a console warning and a suspended context).
 */
export function unlockAudioOnGesture(): void {
  const unlock = () => void resumeAudio();
  document.addEventListener('pointerdown', unlock, { capture: true });
  document.addEventListener('keydown', unlock, { capture: true });
}

/** Call from a click or key handler: browsers only let a page start sound after the user did something. */
export async function resumeAudio(): Promise<void> {
  const ctx = audioContext();
  if (ctx.state === 'suspended') await ctx.resume();
}
