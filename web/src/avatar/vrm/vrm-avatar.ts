import {
  ACESFilmicToneMapping, AgXToneMapping, AmbientLight, CineonToneMapping, DirectionalLight, HemisphereLight, LinearToneMapping, NoToneMapping,
  Object3D, PerspectiveCamera, Plane, Raycaster, Scene, Vector2, Vector3, WebGLRenderer, type ToneMapping,
} from 'three';
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';
import { VRMLoaderPlugin, VRMUtils, type VRM } from '@pixiv/three-vrm';
import type { Avatar, Expression } from '../avatar';
import { IdleMotion } from '../idle-motion';
import { HOME, type Placeable, type Placement } from '../placement';
import { VrmFace, type MoodMap } from './vrm-face';
import { applyIdlePose } from './vrm-pose';

/** Per second, as the built-in avatar: the mouth opens fast and closes a little slower. */
const MOUTH_ATTACK = 30;
const MOUTH_RELEASE = 14;
/** After the pointer stops moving she looks back at the viewer after this long. */
const POINTER_FOLLOW_MS = 3000;
const FOV_DEGREES = 30;

/** A character's lighting (rest.md §4.4, `_reserved.avatar.vrm.lighting`). */
export interface VrmLighting {
  ambient: number;
  main: number;
  fill: number;
  rim: number;
  top: number;
  bottom: number;
  exposure: number;
  toneMapping: number;
}

export const DEFAULT_LIGHTING: VrmLighting = { ambient: 0.4, main: 1.2, fill: 0.5, rim: 0.8, top: 0.3, bottom: 0.15, exposure: 0, toneMapping: 0 };
const TONE_MAPPINGS: readonly ToneMapping[] = [NoToneMapping, LinearToneMapping, ACESFilmicToneMapping, CineonToneMapping, AgXToneMapping, ACESFilmicToneMapping];

/** Why a model could not be shown; the stage turns it into a translated line. */
export class AvatarLoadError extends Error {
  constructor(readonly reason: 'notFound' | 'http' | 'corrupt' | 'notVrm' | 'webgl', message: string) {
    super(message);
  }
}

export interface VrmAvatarOptions {
  url: string;
  label: string;
  mapping: MoodMap;
  lighting?: Partial<VrmLighting>;
}

/**
 * A VRM model (0.x or 1.0) drawn with three.js on a transparent canvas: lip sync on the `aa` shape, blinking
 * at natural random intervals, breathing and sway through the humanoid bones, eyes that follow the pointer
 * (else the viewer), and emotions through the model's expressions.
 */
export class VrmAvatar implements Avatar, Placeable {
  readonly kind = 'vrm';
  private renderer?: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly camera = new PerspectiveCamera(FOV_DEGREES, 1, 0.05, 50);
  private readonly lookTarget = new Object3D();
  private vrm?: VRM;
  private face?: VrmFace;
  private readonly idle = new IdleMotion();
  private frameRequest = 0;
  private resizeObserver?: ResizeObserver;
  private readonly abort = new AbortController();
  private readonly reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  private mouthTarget = 0;
  private mouth = 0;
  private lastTime = 0;
  private wasBlinking = false;
  private blinks = 0;
  private frames = 0;
  private expression: Expression = 'neutral';
  private pointer?: { x: number; y: number; at: number };
  private framing = { centerY: 1.3, height: 0.9, depth: 0 };
  private place: Placement = { ...HOME };
  private disposed = false;

  constructor(private readonly opts: VrmAvatarOptions) {}

  get state() {
    return {
      mouthOpen: this.mouth,
      expression: this.expression,
      blinks: this.blinks,
      frames: this.frames,
      modelUrl: this.opts.url,
      weights: this.face?.values() ?? {},
      placement: { ...this.place },
    };
  }

  get placement(): Placement {
    return { ...this.place };
  }

  async mount(container: HTMLElement): Promise<void> {
    const vrm = await this.load();
    if (this.disposed) {
      VRMUtils.deepDispose(vrm.scene);
      return;
    }
    let renderer: WebGLRenderer;
    try {
      renderer = new WebGLRenderer({ alpha: true, antialias: true, powerPreference: 'low-power' });
    } catch (err) {
      VRMUtils.deepDispose(vrm.scene);
      throw new AvatarLoadError('webgl', (err as Error).message);
    }
    this.renderer = renderer;
    renderer.setClearColor(0x000000, 0);
    const canvas = renderer.domElement;
    canvas.className = 'avatar-canvas';
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', this.opts.label);
    container.append(canvas);

    this.vrm = vrm;
    this.face = new VrmFace(vrm.expressionManager!, this.opts.mapping);
    this.face.setEmotion(this.expression);
    this.scene.add(vrm.scene, this.lookTarget);
    this.addLights(renderer);
    if (vrm.lookAt) {
      vrm.lookAt.target = this.lookTarget;
      vrm.lookAt.autoUpdate = true;
    }
    this.frame(vrm);

    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(canvas);
    this.resize();
    window.addEventListener('pointermove', (e) => (this.pointer = { x: e.clientX, y: e.clientY, at: performance.now() }), { signal: this.abort.signal });

    await new Promise<void>((resolve) => {
      const tick = (now: number) => {
        this.draw(now / 1000);
        if (this.frames === 1) resolve();
        this.frameRequest = requestAnimationFrame(tick);
      };
      this.frameRequest = requestAnimationFrame(tick);
    });
  }

  setMouthOpen(amount: number): void {
    this.mouthTarget = Math.min(1, Math.max(0, amount));
  }

  setExpression(expression: Expression): void {
    this.expression = expression;
    this.face?.setEmotion(expression);
  }

  setLabel(label: string): void {
    this.renderer?.domElement.setAttribute('aria-label', label);
  }

  setPlacement(p: Placement): void {
    this.place = { ...p };
  }

  dispose(): void {
    this.disposed = true;
    cancelAnimationFrame(this.frameRequest);
    this.resizeObserver?.disconnect();
    this.abort.abort();
    if (this.vrm) VRMUtils.deepDispose(this.vrm.scene);
    this.vrm = undefined;
    const renderer = this.renderer;
    if (renderer) {
      renderer.dispose();
      // Browsers keep only a few WebGL contexts; give this one back now rather than at garbage collection.
      renderer.forceContextLoss();
      renderer.domElement.remove();
    }
    this.renderer = undefined;
  }

  /** Fetches the file (so a 404 reads as "not found", not as a parse error) and parses it as a VRM. */
  private async load(): Promise<VRM> {
    let res: Response;
    try {
      res = await fetch(this.opts.url, { signal: this.abort.signal });
    } catch (err) {
      throw new AvatarLoadError('http', (err as Error).message);
    }
    if (res.status === 404) throw new AvatarLoadError('notFound', `${this.opts.url}: 404`);
    if (!res.ok) throw new AvatarLoadError('http', `${this.opts.url}: HTTP ${res.status}`);
    const data = await res.arrayBuffer();
    const loader = new GLTFLoader();
    loader.register((parser) => new VRMLoaderPlugin(parser));
    let vrm: VRM | undefined;
    try {
      const gltf = await loader.parseAsync(data, new URL(this.opts.url, location.href).href.replace(/[^/]*$/, ''));
      vrm = gltf.userData.vrm as VRM | undefined;
      if (!vrm) {
        VRMUtils.deepDispose(gltf.scene);
        throw new AvatarLoadError('notVrm', `${this.opts.url} has no VRM extension`);
      }
    } catch (err) {
      if (err instanceof AvatarLoadError) throw err;
      throw new AvatarLoadError('corrupt', (err as Error).message);
    }
    VRMUtils.removeUnnecessaryVertices(vrm.scene);
    VRMUtils.combineSkeletons(vrm.scene);
    VRMUtils.rotateVRM0(vrm);
    // Skinned meshes move away from their bind-pose bounds; culling them by those bounds makes limbs vanish.
    vrm.scene.traverse((o) => (o.frustumCulled = false));
    return vrm;
  }

  private addLights(renderer: WebGLRenderer): void {
    const l = { ...DEFAULT_LIGHTING, ...this.opts.lighting };
    // Intensities are the character's lighting values scaled to three.js's physical units (π ≈ a full light).
    const main = new DirectionalLight(0xffffff, l.main * 1.6);
    main.position.set(0.5, 1.5, 2);
    const fill = new DirectionalLight(0xfff3f8, l.fill * 0.9);
    fill.position.set(-1.5, 0.6, 1);
    const rim = new DirectionalLight(0xdfe8ff, l.rim * 1.2);
    rim.position.set(0, 1.4, -2);
    const hemi = new HemisphereLight(0xffffff, 0xffe8ee, (l.top + l.bottom) * 1.2);
    this.scene.add(new AmbientLight(0xffffff, l.ambient * 1.2), main, fill, rim, hemi);
    renderer.toneMapping = TONE_MAPPINGS[Math.round(l.toneMapping)] ?? NoToneMapping;
    renderer.toneMappingExposure = 2 ** l.exposure;
  }

  /** Frames the upper body: from a little below the hips to above the head, from the humanoid's rest pose. */
  private frame(vrm: VRM): void {
    vrm.update(0);
    const at = (name: 'head' | 'hips') => vrm.humanoid.getNormalizedBoneNode(name)?.getWorldPosition(new Vector3());
    const head = at('head');
    const hips = at('hips');
    if (!head || !hips) return;
    const torso = Math.max(0.2, head.y - hips.y);
    const bottom = hips.y + torso * 0.05;
    const top = head.y + torso * 0.95;
    this.framing = { centerY: (top + bottom) / 2, height: top - bottom, depth: head.z };
  }

  private resize(): void {
    const renderer = this.renderer;
    if (!renderer) return;
    const canvas = renderer.domElement;
    const width = Math.max(1, canvas.clientWidth);
    const height = Math.max(1, canvas.clientHeight);
    renderer.setPixelRatio(window.devicePixelRatio || 1);
    renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
  }

  /** World units per CSS pixel at the model's depth, before zoom. */
  private worldPerPixel(): number {
    const h = Math.max(1, this.renderer?.domElement.clientHeight ?? 1);
    return this.framing.height / h;
  }

  private placeCamera(): void {
    const { centerY, height, depth } = this.framing;
    // Fit the framed height; on a narrow (phone) stage fit a body's width instead, so the shoulders stay in.
    const fitHeight = height / 2 / Math.tan((FOV_DEGREES * Math.PI) / 360);
    const fitWidth = (height * 0.55) / 2 / Math.tan((FOV_DEGREES * Math.PI) / 360) / Math.max(0.1, this.camera.aspect);
    const distance = Math.max(fitHeight, fitWidth);
    this.camera.position.set(0, centerY, depth + distance);
    this.camera.lookAt(0, centerY, depth);
    this.camera.zoom = this.place.scale;
    this.camera.updateProjectionMatrix();
    const wpp = (this.worldPerPixel() * distance) / fitHeight / this.place.scale;
    this.vrm?.scene.position.set(this.place.x * wpp, -this.place.y * wpp, 0);
  }

  /** The pointer while it moves over the page, else the camera with the idle gaze wandering around it. */
  private aim(lookX: number, lookY: number): void {
    const renderer = this.renderer;
    const pointer = this.pointer;
    if (renderer && pointer && performance.now() - pointer.at < POINTER_FOLLOW_MS) {
      const rect = renderer.domElement.getBoundingClientRect();
      const ndc = new Vector2(((pointer.x - rect.left) / rect.width) * 2 - 1, -((pointer.y - rect.top) / rect.height) * 2 + 1);
      const ray = new Raycaster();
      ray.setFromCamera(ndc, this.camera);
      const plane = new Plane(new Vector3(0, 0, 1), -(this.framing.depth + 0.6));
      const hit = ray.ray.intersectPlane(plane, new Vector3());
      if (hit) {
        this.lookTarget.position.copy(hit);
        return;
      }
    }
    this.lookTarget.position.copy(this.camera.position).add(new Vector3(lookX * 0.25, lookY * 0.15, 0));
  }

  private draw(time: number): void {
    const renderer = this.renderer;
    const vrm = this.vrm;
    if (!renderer || !vrm) return;
    const dt = this.lastTime ? Math.min(0.1, time - this.lastTime) : 1 / 60;
    this.lastTime = time;
    const rate = this.mouthTarget > this.mouth ? MOUTH_ATTACK : MOUTH_RELEASE;
    this.mouth += (this.mouthTarget - this.mouth) * (1 - Math.exp(-rate * dt));
    const amplitude = this.reducedMotion.matches ? 0 : 1;
    const pose = this.idle.pose(time, dt, amplitude, this.mouth);

    applyIdlePose(vrm.humanoid, pose, time, amplitude);
    this.face?.update(dt, pose.blink, this.mouth);
    this.placeCamera();
    this.aim(pose.lookX, pose.lookY);
    vrm.update(dt);
    renderer.render(this.scene, this.camera);

    const blinking = pose.blink > 0.5;
    if (blinking && !this.wasBlinking) this.blinks++;
    this.wasBlinking = blinking;
    this.frames++;
  }
}
