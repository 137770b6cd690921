/**
 * Runs on the audio thread: turns the microphone's 128-sample render quanta into 480-sample (10 ms at
 * 48 kHz) int16 frames, the size main treats as 48 kHz (websocket.md §2.2), and measures each frame's level.
 */

// The AudioWorklet global scope is not in TypeScript's DOM lib; these are the parts used here.
declare abstract class AudioWorkletProcessor {
  readonly port: MessagePort;
  abstract process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean;
}
declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessor): void;

const FRAME_SAMPLES = 480;

class CaptureProcessor extends AudioWorkletProcessor {
  private frame = new Int16Array(FRAME_SAMPLES);
  private filled = 0;
  private sumSquares = 0;

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (!channel) return true; // no input connected yet: keep the node alive
    for (let i = 0; i < channel.length; i++) {
      const s = Math.max(-1, Math.min(1, channel[i]!));
      this.sumSquares += s * s;
      this.frame[this.filled++] = s < 0 ? Math.round(s * 32768) : Math.round(s * 32767);
      if (this.filled === FRAME_SAMPLES) {
        const level = Math.sqrt(this.sumSquares / FRAME_SAMPLES);
        // Transfer the buffer instead of copying it; a fresh one takes its place.
        this.port.postMessage({ frame: this.frame, level }, [this.frame.buffer]);
        this.frame = new Int16Array(FRAME_SAMPLES);
        this.filled = 0;
        this.sumSquares = 0;
      }
    }
    return true;
  }
}

registerProcessor('neko-capture', CaptureProcessor);
