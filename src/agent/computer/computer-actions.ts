import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { ActionSpec } from '../tasks/action-loop.js';
import type { Desktop, ScreenSize } from './desktop.js';

/** Longest `wait` the model may ask for. */
const MAX_WAIT_S = 30;
const MAX_TYPE_CHARS = 2000;
/** One key name: xdotool keysyms are letters, digits and underscores (Return, ctrl, F5, KP_Enter). */
const KEY_COMBO = /^[A-Za-z0-9_]{1,32}(\+[A-Za-z0-9_]{1,32}){0,4}$/;

/**
 * Coordinates as the original scales them (agent.md §2.7): 0–999 is a fraction of the screen, anything
 * larger is an absolute pixel. Results are clamped onto the screen.
 */
export function scaleCoordinate(value: number, size: number): number {
  const px = value <= 999 ? Math.round((value * size) / 1000) : Math.round(value);
  return Math.max(0, Math.min(size - 1, px));
}

const coord = z.number().finite().min(0).max(100_000);
const point = { x: coord, y: coord };
const pointParams = { x: { type: 'number', description: '0-999 = fraction of screen width' }, y: { type: 'number', description: '0-999 = fraction of screen height' } };
const BUTTONS = { left: '1', middle: '2', right: '3' } as const;
const WHEEL = { up: '4', down: '5', left: '6', right: '7' } as const;

/**
 * The whitelisted desktop actions. Each is validated by its schema and becomes one fixed xdotool
 * invocation with argument arrays; text and keys are passed after `--` so they can never be read as options.
 */
export function computerActions(desktop: Desktop, screen: () => ScreenSize): Record<string, ActionSpec> {
  const at = (x: number, y: number) => {
    const s = screen();
    return [String(scaleCoordinate(x, s.width)), String(scaleCoordinate(y, s.height))];
  };
  const move: ActionSpec<z.ZodObject<typeof point>> = {
    description: 'Move the mouse pointer.',
    schema: z.object(point),
    parameters: { type: 'object', properties: pointParams, required: ['x', 'y'] },
    run: async ({ x, y }, signal) => {
      await desktop.xdotool(['mousemove', ...at(x, y)], signal);
      return `moved to ${at(x, y).join(',')}`;
    },
  };
  const clickSchema = z.object({ ...point, button: z.enum(['left', 'middle', 'right']).optional() });
  const click: ActionSpec<typeof clickSchema> = {
    description: 'Click at a point (left button unless given).',
    schema: clickSchema,
    parameters: { type: 'object', properties: { ...pointParams, button: { type: 'string', enum: ['left', 'middle', 'right'] } }, required: ['x', 'y'] },
    run: async ({ x, y, button }, signal) => {
      await desktop.xdotool(['mousemove', ...at(x, y), 'click', BUTTONS[button ?? 'left']], signal);
      return `clicked ${button ?? 'left'} at ${at(x, y).join(',')}`;
    },
  };
  const doubleClick: ActionSpec<z.ZodObject<typeof point>> = {
    description: 'Double-click at a point.',
    schema: z.object(point),
    parameters: { type: 'object', properties: pointParams, required: ['x', 'y'] },
    run: async ({ x, y }, signal) => {
      await desktop.xdotool(['mousemove', ...at(x, y), 'click', '--repeat', '2', '--delay', '80', '1'], signal);
      return `double-clicked at ${at(x, y).join(',')}`;
    },
  };
  const dragSchema = z.object({ from_x: coord, from_y: coord, to_x: coord, to_y: coord });
  const drag: ActionSpec<typeof dragSchema> = {
    description: 'Drag with the left button from one point to another.',
    schema: dragSchema,
    parameters: { type: 'object', properties: { from_x: { type: 'number' }, from_y: { type: 'number' }, to_x: { type: 'number' }, to_y: { type: 'number' } }, required: ['from_x', 'from_y', 'to_x', 'to_y'] },
    run: async ({ from_x, from_y, to_x, to_y }, signal) => {
      await desktop.xdotool(['mousemove', ...at(from_x, from_y), 'mousedown', '1', 'mousemove', ...at(to_x, to_y), 'mouseup', '1'], signal);
      return `dragged to ${at(to_x, to_y).join(',')}`;
    },
  };
  const typeSchema = z.object({ text: z.string().min(1).max(MAX_TYPE_CHARS) });
  const type: ActionSpec<typeof typeSchema> = {
    description: 'Type text (any language) into the focused window.',
    schema: typeSchema,
    parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    run: async ({ text }, signal) => {
      await desktop.xdotool(['type', '--delay', '12', '--', text], signal);
      return `typed ${text.length} characters`;
    },
  };
  const keySchema = z.object({ keys: z.string().regex(KEY_COMBO, 'keys look like "Return", "ctrl+c" or "ctrl+shift+t"') });
  const key: ActionSpec<typeof keySchema> = {
    description: 'Press a key or key combination, e.g. "Return", "ctrl+c", "alt+F4".',
    schema: keySchema,
    parameters: { type: 'object', properties: { keys: { type: 'string' } }, required: ['keys'] },
    run: async ({ keys }, signal) => {
      await desktop.xdotool(['key', '--', keys], signal);
      return `pressed ${keys}`;
    },
  };
  const scrollSchema = z.object({ direction: z.enum(['up', 'down', 'left', 'right']), amount: z.number().int().min(1).max(30).optional(), x: coord.optional(), y: coord.optional() });
  const scroll: ActionSpec<typeof scrollSchema> = {
    description: 'Scroll the mouse wheel (amount = notches, default 3), optionally at a point.',
    schema: scrollSchema,
    parameters: { type: 'object', properties: { direction: { type: 'string', enum: ['up', 'down', 'left', 'right'] }, amount: { type: 'integer' }, ...pointParams }, required: ['direction'] },
    run: async ({ direction, amount, x, y }, signal) => {
      const moveTo = x !== undefined && y !== undefined ? ['mousemove', ...at(x, y)] : [];
      await desktop.xdotool([...moveTo, 'click', '--repeat', String(amount ?? 3), WHEEL[direction]], signal);
      return `scrolled ${direction}`;
    },
  };
  const waitSchema = z.object({ seconds: z.number().min(0).max(MAX_WAIT_S) });
  const wait: ActionSpec<typeof waitSchema> = {
    description: `Wait for the screen to change (at most ${MAX_WAIT_S} s).`,
    schema: waitSchema,
    parameters: { type: 'object', properties: { seconds: { type: 'number' } }, required: ['seconds'] },
    run: async ({ seconds }, signal) => {
      await sleep(seconds * 1000, undefined, { signal });
      return `waited ${seconds} s`;
    },
  };
  const screenshot: ActionSpec<z.ZodObject<{}>> = {
    description: 'Take a fresh look at the screen (the next observation carries it).',
    schema: z.object({}),
    parameters: { type: 'object', properties: {} },
    run: async () => 'the next observation has a new screenshot',
  };
  return { move, click, double_click: doubleClick, drag, type, key, scroll, wait, screenshot } as Record<string, ActionSpec>;
}
