import { Application, Ticker } from 'pixi.js';
import { Live2DModel } from 'pixi-live2d-display/cubism4';
import type { Avatar, Expression } from '../avatar';
import { HOME, type Placeable, type Placement } from '../placement';

/** Per second, as the other avatars: the mouth opens fast and closes a little slower. */
const MOUTH_ATTACK = 30;
const MOUTH_RELEASE = 14;
/** The model fills this share of the stage's height at zoom 1. */
const FIT = 0.95;

/** `GET /api/live2d/emotion_mapping/{model}` (rest.md §7.2): files per emotion. */
export interface Live2dEmotionMapping {
  motions?: Record<string, string[]>;
  expressions?: Record<string, string[]>;
}

/** The parts of a model3.json this avatar reads. */
interface Model3 {
  Groups?: { Name?: string; Ids?: string[] }[];
  FileReferences?: {
    Expressions?: { Name?: string; File?: string }[];
    Motions?: Record<string, { File?: string }[]>;
  };
}

/** The parts of the Cubism core model used here (the typings of pixi-live2d-display cover more). */
interface CoreModel {
  setParameterValueById(id: string, value: number, weight?: number): void;
  getParameterValueById(id: string): number;
}

let tickerRegistered = false;

/**
 * A Live2D (Cubism 3/4) model through pixi-live2d-display. Needs `window.Live2DCubismCore` (the user's runtime)
 * before this module is imported. Lip sync writes the model's LipSync parameters (else ParamMouthOpenY);
 * blinking is the model's own eye-blink; emotions play the mapped expression and motion files.
 */
export class Live2dAvatar implements Avatar, Placeable {
  readonly kind = 'live2d';
  private app?: Application;
  private model?: Live2DModel;
  private resizeObserver?: ResizeObserver;
  private mouthTarget = 0;
  private mouth = 0;
  private frames = 0;
  private blinks = 0;
  private eyeClosed = false;
  private expression: Expression = 'neutral';
  private place: Placement = { ...HOME };
  private fitScale = 1;
  private disposed = false;
  private container?: HTMLElement;

  constructor(private readonly opts: { url: string; label: string; mapping: Live2dEmotionMapping }) {}

  get state() {
    return { mouthOpen: this.mouth, expression: this.expression, blinks: this.blinks, frames: this.frames, modelUrl: this.opts.url, placement: { ...this.place } };
  }

  get placement(): Placement {
    return { ...this.place };
  }

  async mount(container: HTMLElement): Promise<void> {
    if (!tickerRegistered) {
      Live2DModel.registerTicker(Ticker);
      tickerRegistered = true;
    }
    const model = await Live2DModel.from(this.opts.url, { autoInteract: false });
    if (this.disposed) {
      model.destroy({ children: true });
      return;
    }
    const app = new Application({ backgroundAlpha: 0, antialias: true, autoDensity: true, resolution: window.devicePixelRatio || 1 });
    this.app = app;
    this.model = model;
    const canvas = app.view;
    canvas.className = 'avatar-canvas';
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', this.opts.label);
    container.append(canvas);
    model.anchor.set(0.5, 1);
    app.stage.addChild(model);

    const json = (model.internalModel.settings as unknown as { json: Model3 }).json;
    const lipIds = json.Groups?.find((g) => g.Name === 'LipSync')?.Ids?.filter(Boolean) ?? [];
    const mouthIds = lipIds.length ? lipIds : ['ParamMouthOpenY'];
    const eyeId = json.Groups?.find((g) => g.Name === 'EyeBlink')?.Ids?.[0] ?? 'ParamEyeLOpen';
    const core = model.internalModel.coreModel as unknown as CoreModel;
    model.internalModel.on('beforeModelUpdate', () => {
      for (const id of mouthIds) core.setParameterValueById(id, this.mouth);
    });

    // autoDensity pins the canvas's CSS size, so the container's size is what to follow.
    this.container = container;
    this.resizeObserver = new ResizeObserver(() => this.layout());
    this.resizeObserver.observe(container);
    this.layout();

    await new Promise<void>((resolve) => {
      app.ticker.add(() => {
        const dt = Math.min(0.1, app.ticker.deltaMS / 1000);
        const rate = this.mouthTarget > this.mouth ? MOUTH_ATTACK : MOUTH_RELEASE;
        this.mouth += (this.mouthTarget - this.mouth) * (1 - Math.exp(-rate * dt));
        const closed = core.getParameterValueById(eyeId) < 0.3;
        if (closed && !this.eyeClosed) this.blinks++;
        this.eyeClosed = closed;
        this.frames++;
        if (this.frames === 2) resolve();
      });
    });
  }

  setMouthOpen(amount: number): void {
    this.mouthTarget = Math.min(1, Math.max(0, amount));
  }

  setExpression(expression: Expression): void {
    this.expression = expression;
    const model = this.model;
    if (!model) return;
    const json = (model.internalModel.settings as unknown as { json: Model3 }).json;
    const files = this.opts.mapping.expressions?.[expression] ?? [];
    const defined = json.FileReferences?.Expressions ?? [];
    const choice = files[Math.floor(Math.random() * files.length)];
    const index = choice ? defined.findIndex((d) => d.File === choice) : -1;
    if (index >= 0) void model.expression(index);
    else if (expression === 'neutral') model.internalModel.motionManager.expressionManager?.resetExpression();
    const motions = json.FileReferences?.Motions ?? {};
    const motionFiles = this.opts.mapping.motions?.[expression] ?? [];
    for (const [group, list] of Object.entries(motions)) {
      const i = list.findIndex((m) => m.File !== undefined && motionFiles.includes(m.File));
      if (i >= 0 || group === expression) {
        void model.motion(group, Math.max(0, i));
        break;
      }
    }
  }

  setLabel(label: string): void {
    this.app?.view.setAttribute('aria-label', label);
  }

  setPlacement(p: Placement): void {
    this.place = { ...p };
    this.layout();
  }

  dispose(): void {
    this.disposed = true;
    this.resizeObserver?.disconnect();
    const view = this.app?.view;
    this.app?.destroy(true, { children: true, texture: true, baseTexture: true });
    view?.remove();
    this.app = undefined;
    this.model = undefined;
  }

  /** Fits the model to the stage, standing on its bottom edge, then applies the user's offset and zoom. */
  private layout(): void {
    const app = this.app;
    const model = this.model;
    if (!app || !model) return;
    const width = Math.max(1, this.container?.clientWidth ?? 1);
    const height = Math.max(1, this.container?.clientHeight ?? 1);
    app.renderer.resize(width, height);
    const natural = { w: model.width / model.scale.x, h: model.height / model.scale.y };
    this.fitScale = Math.min((height * FIT) / natural.h, (width * FIT) / natural.w);
    model.scale.set(this.fitScale * this.place.scale);
    model.position.set(width / 2 + this.place.x, height + this.place.y);
  }
}
