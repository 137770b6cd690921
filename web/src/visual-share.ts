/** Frames are downsized to fit this box (~720p, what the original page sends). */
const MAX_WIDTH = 1280;
const MAX_HEIGHT = 720;
const JPEG_QUALITY = 0.8;
export const SCREEN_FRAME_INTERVAL_MS = 1000;

/** Where the picture comes from: the screen (getDisplayMedia) or a camera (getUserMedia). */
export type VisualSource = 'screen' | 'camera';

const OPEN: Record<VisualSource, () => Promise<MediaStream>> = {
  screen: () => navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 5 }, audio: false }),
  camera: () => navigator.mediaDevices.getUserMedia({ video: { width: { ideal: MAX_WIDTH }, height: { ideal: MAX_HEIGHT }, frameRate: 5 }, audio: false }),
};

/**
 * The user's screen or camera as one JPEG data URL per second while sharing (`stream_data` with `input_type`
 * `screen` or `camera`; the server treats both alike).
 */
export class VisualShare {
  onFrame: (dataUrl: string) => void = () => {};
  /** The user stopped sharing from the browser's own controls. */
  onEnded: () => void = () => {};
  frames = 0;
  private stream?: MediaStream;
  private video?: HTMLVideoElement;
  private timer?: ReturnType<typeof setInterval>;
  private readonly canvas = document.createElement('canvas');

  constructor(readonly source: VisualSource) {}

  get active(): boolean {
    return this.stream !== undefined;
  }

  /** Must run from a click: browsers only open the screen picker or ask for the camera on a user gesture. */
  async start(): Promise<void> {
    if (this.stream) return;
    const stream = await OPEN[this.source]();
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    await video.play();
    this.stream = stream;
    this.video = video;
    stream.getVideoTracks()[0]?.addEventListener('ended', () => {
      this.stop();
      this.onEnded();
    });
    this.timer = setInterval(() => {
      const frame = this.capture();
      if (frame) this.onFrame(frame);
    }, SCREEN_FRAME_INTERVAL_MS);
  }

  /** One frame now (the server's `request_screenshot`), or undefined when not sharing. */
  capture(): string | undefined {
    const video = this.video;
    if (!video || video.readyState < 2 || !video.videoWidth) return undefined;
    const scale = Math.min(1, MAX_WIDTH / video.videoWidth, MAX_HEIGHT / video.videoHeight);
    this.canvas.width = Math.round(video.videoWidth * scale);
    this.canvas.height = Math.round(video.videoHeight * scale);
    this.canvas.getContext('2d')!.drawImage(video, 0, 0, this.canvas.width, this.canvas.height);
    this.frames++;
    return this.canvas.toDataURL('image/jpeg', JPEG_QUALITY);
  }

  stop(): void {
    clearInterval(this.timer);
    this.stream?.getTracks().forEach((t) => t.stop());
    if (this.video) this.video.srcObject = null;
    this.stream = undefined;
    this.video = undefined;
  }
}
