import { execFile } from 'node:child_process';

/** Why no screenshot could be taken; the route answers 503 with this message. */
export class ScreenUnavailable extends Error {}

/** Target height of the JPEG sent to the page (a screen-sized image is far more than a vision model needs). */
export const SCREENSHOT_HEIGHT = 720;

/**
 * The X11 screen as a JPEG, taken with ImageMagick's `import -window root` (the same tool the agent's
 * computer use drives). Needs DISPLAY; scaled down to `height` pixels, never up.
 */
export function captureScreen(env: NodeJS.ProcessEnv, opts: { height?: number; timeoutMs?: number } = {}): Promise<Buffer> {
  const display = env.DISPLAY?.trim();
  if (!display) return Promise.reject(new ScreenUnavailable('没有可用的屏幕 (no X display: DISPLAY is not set)'));
  const args = ['-silent', '-window', 'root', '-resize', `x${opts.height ?? SCREENSHOT_HEIGHT}>`, '-quality', '80', 'jpeg:-'];
  return new Promise((resolve, reject) => {
    execFile('import', args, { env: { ...env, DISPLAY: display }, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, timeout: opts.timeoutMs ?? 10_000 }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return reject(new ScreenUnavailable('截图工具不可用 (ImageMagick `import` is not installed)'));
        return reject(new ScreenUnavailable(`截图失败 (screen capture failed: ${stderr.toString().trim() || err.message})`));
      }
      if (stdout.length < 4 || stdout[0] !== 0xff || stdout[1] !== 0xd8) return reject(new ScreenUnavailable('截图失败 (capture produced no JPEG)'));
      resolve(stdout);
    });
  });
}
