/** The expressions the emotion analysis can name (rest.md §9.2). */
export type Expression = 'neutral' | 'happy' | 'sad' | 'angry' | 'surprised';

/**
 * What the page needs from any avatar (the built-in one now; VRM and Live2D later): it draws itself into a
 * container, opens its mouth as told (0 closed … 1 wide, driven by the played audio) and shows an expression.
 */
export interface Avatar {
  /** Short name of the implementation, e.g. "default". */
  readonly kind: string;
  /** Adds the avatar's drawing surface to `container` and starts animating. Resolves once the first frame is drawn. */
  mount(container: HTMLElement): Promise<void>;
  setMouthOpen(amount: number): void;
  setExpression(expression: Expression): void;
  /** Stops animating and removes everything `mount` added. */
  dispose(): void;
  /** What is drawn right now, for the debug hook and accessibility text. */
  readonly state: { mouthOpen: number; expression: Expression; blinks: number; frames: number };
}
