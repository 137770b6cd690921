import type { Placement } from './placement';

/** One arrow press moves the model this many CSS pixels; with Shift, the bigger step. */
const MOVE_STEP = 10;
const MOVE_STEP_SHIFT = 50;
/**
 * One + or − press zooms by this factor (about one wheel notch). Not bigger with Shift: on many layouts `+` needs
 * Shift itself, so it would always take the big step.
 */
const ZOOM_STEP = 1.1;

/** The keys the stage answers to, for `aria-keyshortcuts` (the label says the same in words). */
export const PLACEMENT_SHORTCUTS = 'ArrowLeft ArrowRight ArrowUp ArrowDown Shift+ArrowLeft Shift+ArrowRight Shift+ArrowUp Shift+ArrowDown + = - 0 Home';

/**
 * Where a key press puts the model: arrows move it (Shift: bigger steps), `+`/`=` zoom in, `-` (or `_`) zooms out, `0` or
 * Home answer 'home' (back to the default place); undefined for any other key, or with Ctrl/Alt/Meta (browser shortcuts,
 * such as Ctrl + for the page zoom, stay the browser's).
 */
export function placementForKey(e: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'altKey' | 'metaKey'>, p: Placement): Placement | 'home' | undefined {
  if (e.ctrlKey || e.altKey || e.metaKey) return undefined;
  const step = e.shiftKey ? MOVE_STEP_SHIFT : MOVE_STEP;
  switch (e.key) {
    case 'ArrowLeft':
      return { ...p, x: p.x - step };
    case 'ArrowRight':
      return { ...p, x: p.x + step };
    case 'ArrowUp':
      return { ...p, y: p.y - step };
    case 'ArrowDown':
      return { ...p, y: p.y + step };
    case '+':
    case '=':
      return { ...p, scale: p.scale * ZOOM_STEP };
    case '-':
    case '_':
      return { ...p, scale: p.scale / ZOOM_STEP };
    case '0':
    case 'Home':
      return 'home';
    default:
      return undefined;
  }
}
