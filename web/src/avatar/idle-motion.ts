/** One frame of the living-character motion: breathing, swaying, blinking, ear twitches, wandering gaze. */
export interface IdlePose {
  /** 0 = eyes open, 1 = fully shut (a blink). */
  blink: number;
  /** Head offset (design px) and tilt (radians). */
  headX: number;
  headY: number;
  headTilt: number;
  /** Chest scale for breathing, ~1. */
  breathe: number;
  tailAngle: number;
  earTwitchLeft: number;
  earTwitchRight: number;
  /** Gaze offset of the pupils, -1 … 1. */
  lookX: number;
  lookY: number;
}

const BLINK_SECONDS = 0.14;
const TWITCH_SECONDS = 0.22;

/**
 * Time-based so the motion is the same at any frame rate. `amplitude` scales the swaying (0 for users who
 * prefer reduced motion; blinking stays, it is not motion across the screen).
 */
export class IdleMotion {
  private nextBlinkAt = 1.2;
  private blinkStart = -1;
  private doubleBlinkPending = false;
  private blinkShown = false;
  private nextTwitchAt = 2.5;
  private twitchStart = -1;
  private twitchLeft = true;
  private gazeTarget = { x: 0, y: 0 };
  private gaze = { x: 0, y: 0 };
  private nextGazeAt = 0.8;

  constructor(private readonly random: () => number = Math.random) {}

  pose(t: number, dt: number, amplitude: number, talking: number): IdlePose {
    // Blinks every 2–6 s, sometimes twice in a row, like people (and cats pretending to be people).
    if (t >= this.nextBlinkAt && this.blinkStart < 0) {
      this.blinkStart = t;
      this.blinkShown = false;
      this.doubleBlinkPending = this.random() < 0.2;
    }
    let blink = 0;
    if (this.blinkStart >= 0) {
      const p = (t - this.blinkStart) / BLINK_SECONDS;
      if (p >= 1 && this.blinkShown) {
        this.blinkStart = -1;
        this.nextBlinkAt = t + (this.doubleBlinkPending ? 0.12 : 2 + this.random() * 4);
        this.doubleBlinkPending = false;
      } else {
        // At a low frame rate a blink could fall between two frames: then this frame shows it shut.
        blink = p >= 1 ? 1 : Math.sin(p * Math.PI);
        if (blink > 0.5) this.blinkShown = true;
      }
    }

    if (t >= this.nextTwitchAt && this.twitchStart < 0) {
      this.twitchStart = t;
      this.twitchLeft = this.random() < 0.5;
    }
    let twitch = 0;
    if (this.twitchStart >= 0) {
      const p = (t - this.twitchStart) / TWITCH_SECONDS;
      if (p >= 1) {
        this.twitchStart = -1;
        this.nextTwitchAt = t + 3 + this.random() * 5;
      } else {
        twitch = Math.sin(p * Math.PI * 2) * (1 - p);
      }
    }

    if (t >= this.nextGazeAt) {
      // Mostly looks at the user; now and then glances aside.
      const aside = this.random() < 0.35;
      this.gazeTarget = aside ? { x: (this.random() * 2 - 1) * 0.9, y: (this.random() * 2 - 1) * 0.5 } : { x: 0, y: 0 };
      this.nextGazeAt = t + (aside ? 0.8 + this.random() * 1.2 : 1.5 + this.random() * 3);
    }
    const follow = 1 - Math.exp(-12 * dt);
    this.gaze.x += (this.gazeTarget.x - this.gaze.x) * follow;
    this.gaze.y += (this.gazeTarget.y - this.gaze.y) * follow;

    const a = amplitude;
    return {
      blink,
      headX: Math.sin(t * 0.53) * 4 * a,
      headY: (Math.sin(t * 1.7) * 2.5 + talking * Math.sin(t * 9) * 1.5) * a,
      headTilt: (Math.sin(t * 0.71) * 0.04 + Math.sin(t * 0.29) * 0.02) * a,
      breathe: 1 + Math.sin(t * 1.7) * 0.012 * Math.max(a, 0.3),
      tailAngle: Math.sin(t * 1.25) * 0.15 * Math.max(a, 0.2),
      earTwitchLeft: this.twitchLeft ? twitch : 0,
      earTwitchRight: this.twitchLeft ? 0 : twitch,
      lookX: this.gaze.x,
      lookY: this.gaze.y,
    };
  }
}
