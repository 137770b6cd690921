import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Programs computer use drives; all are Debian packages (xdotool, imagemagick). */
const TOOLS = ['xdotool', 'import'] as const;
const COMMAND_TIMEOUT_MS = 15_000;

function onPath(program: string, env: NodeJS.ProcessEnv): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}

export interface ScreenSize {
  width: number;
  height: number;
}

/**
 * The X11 display computer use acts on, through fixed programs called with argument arrays (never a shell):
 * xdotool for input, ImageMagick `import` for screenshots.
 */
export class Desktop {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  get display(): string | undefined {
    return this.env.NEKO_AGENT_DISPLAY?.trim() || this.env.DISPLAY?.trim() || undefined;
  }

  available(): { ready: boolean; reason: string } {
    if (!this.display) return { ready: false, reason: 'AGENT_DISPLAY_NOT_AVAILABLE' };
    const missing = TOOLS.filter((t) => !onPath(t, this.env));
    if (missing.length) return { ready: false, reason: 'AGENT_XDOTOOL_NOT_INSTALLED' };
    return { ready: true, reason: '' };
  }

  private exec(program: (typeof TOOLS)[number], args: string[], signal?: AbortSignal, encoding: 'utf8' | 'buffer' = 'utf8'): Promise<string | Buffer> {
    const display = this.display;
    if (!display) return Promise.reject(new Error('no X display (DISPLAY is not set)'));
    return new Promise((resolve, reject) => {
      execFile(
        program,
        args,
        { env: { ...this.env, DISPLAY: display }, signal, timeout: COMMAND_TIMEOUT_MS, encoding: encoding === 'buffer' ? 'buffer' : 'utf8', maxBuffer: 32 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (err) {
            if (signal?.aborted) return reject(signal.reason);
            return reject(new Error(`${program} ${args[0] ?? ''} failed: ${String(stderr).trim().slice(0, 200) || err.message}`));
          }
          resolve(stdout);
        },
      );
    });
  }

  xdotool(args: string[], signal?: AbortSignal): Promise<string> {
    return this.exec('xdotool', args, signal) as Promise<string>;
  }

  async screenSize(signal?: AbortSignal): Promise<ScreenSize> {
    const out = (await this.xdotool(['getdisplaygeometry'], signal)).trim();
    const [w, h] = out.split(/\s+/).map(Number);
    if (!w || !h) throw new Error(`unexpected display geometry "${out}"`);
    return { width: w, height: h };
  }

  /** Name of the focused window, or '' when there is none (no window manager, empty desktop). */
  async activeWindowName(signal?: AbortSignal): Promise<string> {
    try {
      return (await this.xdotool(['getactivewindow', 'getwindowname'], signal)).trim();
    } catch {
      return '';
    }
  }

  /** JPEG of the whole screen, scaled down to at most `maxSide` pixels per side. */
  async screenshot(maxSide = 1280, signal?: AbortSignal): Promise<Buffer> {
    return (await this.exec('import', ['-window', 'root', '-resize', `${maxSide}x${maxSide}>`, '-quality', '60', 'jpeg:-'], signal, 'buffer')) as Buffer;
  }
}
