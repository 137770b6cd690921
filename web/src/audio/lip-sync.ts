/** Below this RMS the mouth stays shut (breaths, noise floor of the TTS). */
const GATE = 0.01;
/** RMS at which the mouth is fully open; espeak and most TTS voices peak around 0.15–0.3. */
const FULL = 0.18;

/** Mouth opening 0 … 1 for the RMS of the audio being heard. The curve opens small sounds visibly. */
export function mouthFromLevel(rms: number): number {
  if (rms <= GATE) return 0;
  return Math.min(1, ((rms - GATE) / (FULL - GATE)) ** 0.7);
}
