import { getJson } from '../api';
import { onLanguageChanged, t } from '../i18n';
import { el } from '../ui/dom';
import type { Avatar } from './avatar';
import { chooseAvatar, sameChoice, type AvatarChoice } from './avatar-choice';
import { AvatarNotice } from './avatar-notice';
import { DefaultAvatar } from './default-avatar';
import { BUILT_IN_MODEL_PATH, DragZoom, clampPlacement, isPlaceable, loadPlacement, savePlacement } from './placement';
import { PLACEMENT_SHORTCUTS } from './placement-keys';

/** An avatar whose accessible name can follow the character and language. */
type Labelled = Avatar & { setLabel(label: string): void };

/** Why the built-in avatar stands in for the chosen model (a key under `avatar.fallback` / `avatar.cubism`). */
type Fallback = { key: string; params: Record<string, string>; cubismUpload?: boolean };

/** Words of a load error worth showing: the first line, without a stack, kept short. */
function shortError(err: unknown): string {
  const text = String((err as Error)?.message ?? err).split('\n')[0]!.trim();
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/**
 * The avatar on the chat page: picks the character's model (VRM, Live2D, or the built-in one), loads VRM and
 * Live2D code only when needed (their own chunks), swaps avatars without a blank frame, falls back to the
 * built-in avatar with one clear line when a model cannot be shown, and lets the user move and zoom the avatar
 * with a pointer or, once the stage has the focus, with keys (saved per model in the preferences).
 */
export class AvatarStage {
  private avatar: Labelled;
  private character = '';
  /** True once any avatar has drawn: the first one is announced through onFirstVisible. */
  private mounted = false;
  /** Each avatar is mounted once, even when two character switches race to show the built-in one. */
  private readonly mounting = new WeakMap<Avatar, Promise<void>>();
  private choice?: AvatarChoice;
  private generation = 0;
  private label = '';
  private dragZoom?: DragZoom;
  private fallback?: Fallback;
  private readonly notice: AvatarNotice;
  /** The keys, in words, shown while the stage has the keyboard focus (screen readers get them from its name). */
  private readonly keyHint = el('p', { class: 'avatar-key-hint', 'aria-hidden': 'true' });
  /** Called once, when the first avatar has drawn its first frame. */
  onFirstVisible?: () => void;

  constructor(
    private readonly stage: HTMLElement,
    private readonly mount: HTMLElement,
  ) {
    this.avatar = new DefaultAvatar('');
    this.notice = new AvatarNotice(stage, () => void this.reload());
    // Inside the mount (avatars add and remove only their own canvas), so it can show while the mount has the focus.
    mount.append(this.keyHint);
    onLanguageChanged(() => this.labelPlacement());
  }

  get current(): Avatar {
    return this.avatar;
  }

  /** For the debug hook: what was asked for and what is shown. */
  get info(): Record<string, unknown> {
    const c = this.choice;
    return {
      requested: c?.type ?? 'pending',
      requestedUrl: c && 'url' in c ? c.url : c?.type === 'missing' ? c.file : '',
      fallback: this.fallback?.key ?? '',
      loading: this.stage.dataset.avatar === 'loading',
    };
  }

  setLabel(label: string): void {
    this.label = label;
    this.avatar.setLabel(label);
  }

  /** Re-reads the character's model (after a runtime upload, or when settings changed it). */
  async reload(): Promise<void> {
    this.choice = undefined;
    await this.show(this.character);
  }

  /** Shows `character`'s avatar; a newer call wins over one still loading. */
  async show(character: string): Promise<void> {
    this.character = character;
    const generation = ++this.generation;
    const stale = () => generation !== this.generation;
    const choice = await chooseAvatar(character);
    if (stale()) return;
    if (this.mounted && sameChoice(this.choice, choice)) return;
    this.choice = choice;
    this.stage.dataset.avatar = 'loading';
    this.mount.setAttribute('aria-busy', 'true');
    this.mount.title = t('avatar.loading');

    let next: Labelled | undefined;
    let fallback: Fallback | undefined;
    try {
      const made = await this.create(choice);
      if (stale()) {
        made.avatar?.dispose();
        return;
      }
      next = made.avatar;
      fallback = made.fallback;
    } catch (err) {
      if (stale()) return;
      fallback = this.fallbackFor(choice, err);
      // Keeps the console honest for whoever debugs a model; the page itself shows the translated line.
      console.warn('avatar: falling back to the built-in character:', err);
    }
    if (!next) {
      if (this.avatar instanceof DefaultAvatar) {
        // The built-in avatar already there (or not yet drawn) serves again: no flicker.
        next = this.avatar;
        await this.mountAvatar(next);
      } else {
        next = new DefaultAvatar(this.label);
        await this.mountAvatar(next);
        if (stale()) {
          next.dispose();
          return;
        }
      }
    }
    this.swapTo(next);
    this.fallback = fallback;
    if (fallback) this.notice.show(fallback.key, fallback.params, fallback.cubismUpload ?? false);
    else this.notice.hide();
    await this.enablePlacement(choice);
    if (stale()) return;
    this.stage.dataset.avatar = 'ready';
    this.mount.removeAttribute('aria-busy');
  }

  /** The avatar for a choice, mounted and drawn once; or the reason the built-in one must stand in. */
  private async create(choice: AvatarChoice): Promise<{ avatar?: Labelled; fallback?: Fallback }> {
    switch (choice.type) {
      case 'default':
        return {};
      case 'missing':
        return { fallback: { key: choice.modelType === 'vrm' ? 'avatar.fallback.vrmNotFound' : 'avatar.fallback.live2dNotFound', params: { file: choice.file } } };
      case 'vrm': {
        const mapping = await getJson<{ config?: Record<string, string[]> }>(`/api/model/vrm/emotion_mapping/${encodeURIComponent(choice.modelName)}`)
          .then((r) => r.config ?? {})
          .catch(() => ({}));
        const { VrmAvatar } = await import('./vrm/vrm-avatar');
        const avatar = new VrmAvatar({ url: choice.url, label: this.label, mapping, lighting: choice.lighting });
        await this.mountAvatar(avatar);
        return { avatar };
      }
      case 'live2d': {
        const { cubismStatus, loadCubismCore } = await import('./live2d/cubism-runtime');
        const status = await cubismStatus().catch(() => ({ installed: false, url: '' }));
        if (!status.installed) return { fallback: { key: 'avatar.cubism.missing', params: { model: choice.modelName }, cubismUpload: true } };
        await loadCubismCore(status.url);
        const mapping = await getJson<{ config?: Record<string, Record<string, string[]>> }>(`/api/live2d/emotion_mapping/${encodeURIComponent(choice.modelName)}`)
          .then((r) => r.config ?? {})
          .catch(() => ({}));
        const { Live2dAvatar } = await import('./live2d/live2d-avatar');
        const avatar = new Live2dAvatar({ url: choice.url, label: this.label, mapping });
        await this.mountAvatar(avatar);
        return { avatar };
      }
    }
  }

  private fallbackFor(choice: AvatarChoice, err: unknown): Fallback {
    const file = 'url' in choice ? decodeURIComponent(choice.url.split('/').pop() ?? choice.url) : '';
    const reason = (err as { reason?: string })?.reason;
    const error = shortError(err);
    if (choice.type === 'live2d') return { key: 'avatar.fallback.live2dBroken', params: { file, error } };
    switch (reason) {
      case 'notFound':
        return { key: 'avatar.fallback.vrmNotFound', params: { file } };
      case 'notVrm':
        return { key: 'avatar.fallback.notVrm', params: { file } };
      case 'webgl':
        return { key: 'avatar.fallback.webgl', params: {} };
      case 'http':
        return { key: 'avatar.fallback.download', params: { file, error } };
      default:
        return { key: 'avatar.fallback.vrmBroken', params: { file, error } };
    }
  }

  private mountAvatar(avatar: Labelled): Promise<void> {
    let mounting = this.mounting.get(avatar);
    if (!mounting) {
      mounting = this.mountOnce(avatar);
      this.mounting.set(avatar, mounting);
    }
    return mounting;
  }

  /** Mounts `avatar`; if that fails, everything it added is removed before the error goes on. */
  private async mountOnce(avatar: Labelled): Promise<void> {
    if (avatar !== this.avatar) avatar.setExpression(this.avatar.state.expression);
    try {
      await avatar.mount(this.mount);
    } catch (err) {
      avatar.dispose();
      throw err;
    }
    if (!this.mounted) {
      this.mounted = true;
      this.onFirstVisible?.();
    }
  }

  private swapTo(next: Labelled): void {
    const previous = this.avatar;
    if (previous !== next) {
      this.dragZoom?.dispose();
      this.dragZoom = undefined;
      previous.dispose();
    }
    this.avatar = next;
    next.setLabel(this.label);
  }

  /** Restores the model's saved place and lets the user drag and zoom it (models only, not the built-in one). */
  private async enablePlacement(choice: AvatarChoice): Promise<void> {
    this.dragZoom?.dispose();
    this.dragZoom = undefined;
    const avatar = this.avatar;
    if (!isPlaceable(avatar)) {
      this.setMovable(false);
      return;
    }
    const modelPath = avatar instanceof DefaultAvatar || !('url' in choice) ? BUILT_IN_MODEL_PATH : choice.url;
    const stageSize = () => ({ width: this.mount.clientWidth, height: this.mount.clientHeight });
    const saved = await loadPlacement(modelPath);
    if (this.avatar !== avatar) return;
    if (saved) avatar.setPlacement(clampPlacement(saved, stageSize()));
    this.dragZoom = new DragZoom(this.mount, avatar, (p) => {
      void savePlacement(modelPath, p, stageSize()).catch((err: Error) => console.warn('avatar: could not save the position:', err.message));
    });
    this.setMovable(true);
  }

  /**
   * A movable avatar makes the stage a keyboard stop whose name says the keys. It stays one across avatar swaps,
   * so the focus is not lost when a character switch brings another model.
   */
  private setMovable(on: boolean): void {
    if (!on) {
      for (const name of ['tabindex', 'role', 'aria-keyshortcuts', 'aria-label', 'title']) this.mount.removeAttribute(name);
      this.keyHint.textContent = '';
      return;
    }
    this.mount.tabIndex = 0;
    // An application: screen readers hand the arrow keys to the stage instead of reading on with them.
    this.mount.setAttribute('role', 'application');
    this.mount.setAttribute('aria-keyshortcuts', PLACEMENT_SHORTCUTS);
    this.labelPlacement();
  }

  /** The stage's name, hover hint and key hint, in the current language. */
  private labelPlacement(): void {
    if (!this.mount.hasAttribute('tabindex')) return;
    this.mount.title = t('avatar.moveHint');
    this.mount.setAttribute('aria-label', t('avatar.keys.label'));
    this.keyHint.textContent = t('avatar.keys.hint');
  }
}
