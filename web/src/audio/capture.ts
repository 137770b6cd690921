import workletUrl from './capture-worklet.ts?worker&url';
import { audioContext } from './context';
import { storedMicrophone } from './microphone-choice';

export type MicErrorKind = 'denied' | 'unavailable';

export class MicError extends Error {
  constructor(readonly kind: MicErrorKind, message: string) {
    super(message);
  }
}

let workletLoaded: Promise<void> | undefined;

/**
 * The microphone as a stream of 480-sample int16 frames at 48 kHz, with the browser's echo cancellation
 * (so the character does not hear herself) and noise suppression on.
 */
export class MicCapture {
  /** Called on the main thread for every 10 ms frame. */
  onFrame: (frame: Int16Array) => void = () => {};
  /** Called when the browser ends the microphone (unplugged, permission revoked). */
  onEnded: () => void = () => {};
  /** RMS of the last frame, 0 … 1. */
  level = 0;
  frames = 0;
  private stream?: MediaStream;
  private source?: MediaStreamAudioSourceNode;
  private node?: AudioWorkletNode;

  get active(): boolean {
    return this.stream !== undefined;
  }

  async start(deviceId?: string): Promise<void> {
    if (this.stream) return;
    const ctx = audioContext();
    // The settings page's choice, preferred but not required: an unplugged device falls back to the default.
    const chosen = deviceId ? undefined : await storedMicrophone();
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: {
          ...(deviceId ? { deviceId: { exact: deviceId } } : chosen ? { deviceId: { ideal: chosen } } : {}),
          channelCount: 1,
          echoCancellation: true,
          noiseSuppression: true,
          autoGainControl: true,
        },
      });
    } catch (err) {
      const name = (err as DOMException).name;
      throw new MicError(name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'unavailable', (err as Error).message);
    }
    workletLoaded ??= ctx.audioWorklet.addModule(workletUrl);
    await workletLoaded;
    this.stream = stream;
    this.source = ctx.createMediaStreamSource(stream);
    // No outputs: the node only reads the microphone, it must not play it back.
    this.node = new AudioWorkletNode(ctx, 'neko-capture', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: 'explicit' });
    this.node.port.onmessage = (event: MessageEvent<{ frame: Int16Array; level: number }>) => {
      this.level = event.data.level;
      this.frames++;
      this.onFrame(event.data.frame);
    };
    this.source.connect(this.node);
    // If the user unplugs the microphone or revokes access, stop cleanly.
    stream.getAudioTracks()[0]?.addEventListener('ended', () => {
      this.stop();
      this.onEnded();
    });
  }

  stop(): void {
    this.node?.port.close();
    this.node?.disconnect();
    this.source?.disconnect();
    this.stream?.getTracks().forEach((t) => t.stop());
    this.node = undefined;
    this.source = undefined;
    this.stream = undefined;
    this.level = 0;
  }
}
