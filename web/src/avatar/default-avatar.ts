import type { Avatar, Expression } from './avatar';
import { DESIGN_HEIGHT, DESIGN_WIDTH, drawCharacter } from './default-avatar-drawing';
import { ExpressionBlend } from './expression-blend';
import { IdleMotion } from './idle-motion';
import { HOME, type Placeable, type Placement } from './placement';

/** Per second. The mouth opens quickly and closes a little slower, so speech reads as syllables, not flicker. */
const MOUTH_ATTACK = 30;
const MOUTH_RELEASE = 14;

/**
 * The built-in character: needs no asset, so the first start already shows someone who talks. Movable and
 * zoomable like a model (the user's offset in CSS pixels, the zoom around her feet).
 */
export class DefaultAvatar implements Avatar, Placeable {
  readonly kind = 'default';
  private canvas?: HTMLCanvasElement;
  private ctx?: CanvasRenderingContext2D;
  private frameRequest = 0;
  private resizeObserver?: ResizeObserver;
  private readonly blend = new ExpressionBlend();
  private readonly idle = new IdleMotion();
  private mouthTarget = 0;
  private mouth = 0;
  private lastTime = 0;
  private readonly reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  readonly state = { mouthOpen: 0, expression: 'neutral' as Expression, blinks: 0, frames: 0, placement: { ...HOME } };
  private wasBlinking = false;

  constructor(private readonly label: string) {}

  mount(container: HTMLElement): Promise<void> {
    const canvas = document.createElement('canvas');
    canvas.className = 'avatar-canvas';
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', this.label);
    container.append(canvas);
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d')!;
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(canvas);
    this.resize();
    return new Promise((resolve) => {
      const tick = (now: number) => {
        this.draw(now / 1000);
        if (this.state.frames === 1) resolve();
        this.frameRequest = requestAnimationFrame(tick);
      };
      this.frameRequest = requestAnimationFrame(tick);
    });
  }

  setMouthOpen(amount: number): void {
    this.mouthTarget = Math.min(1, Math.max(0, amount));
  }

  setExpression(expression: Expression): void {
    this.blend.target = expression;
    this.state.expression = expression;
  }

  get placement(): Placement {
    return { ...this.state.placement };
  }

  setPlacement(p: Placement): void {
    this.state.placement = { ...p };
  }

  /** The accessible name follows the character and language. */
  setLabel(label: string): void {
    this.canvas?.setAttribute('aria-label', label);
  }

  dispose(): void {
    cancelAnimationFrame(this.frameRequest);
    this.resizeObserver?.disconnect();
    this.canvas?.remove();
    this.canvas = undefined;
  }

  private resize(): void {
    const canvas = this.canvas;
    if (!canvas) return;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
  }

  private draw(time: number): void {
    const canvas = this.canvas;
    const ctx = this.ctx;
    if (!canvas || !ctx) return;
    const dt = this.lastTime ? Math.min(0.1, time - this.lastTime) : 1 / 60;
    this.lastTime = time;
    const rate = this.mouthTarget > this.mouth ? MOUTH_ATTACK : MOUTH_RELEASE;
    this.mouth += (this.mouthTarget - this.mouth) * (1 - Math.exp(-rate * dt));
    const face = this.blend.step(dt);
    const pose = this.idle.pose(time, dt, this.reducedMotion.matches ? 0 : 1, this.mouth);

    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    // Fit the design box to the canvas, standing on its bottom edge, then the user's offset and zoom.
    const place = this.state.placement;
    const ratio = canvas.width / Math.max(1, canvas.clientWidth);
    const scale = Math.min(canvas.width / (DESIGN_WIDTH * 1.05), canvas.height / (DESIGN_HEIGHT * 1.02)) * place.scale;
    const left = (canvas.width - DESIGN_WIDTH * scale) / 2 + place.x * ratio;
    const top = canvas.height - DESIGN_HEIGHT * scale + place.y * ratio;
    ctx.setTransform(scale, 0, 0, scale, left, top);
    drawCharacter(ctx, { pose, face, mouthOpen: this.mouth });

    this.state.mouthOpen = this.mouth;
    const blinking = pose.blink > 0.5;
    if (blinking && !this.wasBlinking) this.state.blinks++;
    this.wasBlinking = blinking;
    this.state.frames++;
  }
}
