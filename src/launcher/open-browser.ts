import { spawn } from 'node:child_process';

export interface LaunchArgs {
  /** `--open-browser`: open the page once ready; closing it stops neko (the original's browser mode). */
  openBrowser: boolean;
  /** `--page <route>`: the page to open, e.g. `settings` or `memory_browser` (no leading slash). */
  page: string;
}

const PAGE = /^[\w\-\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]{1,100}$/u;

/** The launcher's command line (`npm start -- --open-browser --page settings`); anything else is an error. */
export function parseLaunchArgs(argv: readonly string[]): LaunchArgs {
  const out: LaunchArgs = { openBrowser: false, page: '' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--open-browser') out.openBrowser = true;
    else if (arg === '--page' || arg.startsWith('--page=')) {
      const value = (arg === '--page' ? argv[++i] : arg.slice('--page='.length))?.replace(/^\/+/, '') ?? '';
      if (!PAGE.test(value)) throw new Error(`--page needs a page name such as settings or memory_browser (got "${value}")`);
      out.page = value;
    } else throw new Error(`unknown option ${arg}: neko's launcher takes --open-browser and --page <name>`);
  }
  return out;
}

/**
 * Opens `url` in the user's browser: `$BROWSER` when set (the usual convention; also how tests watch it),
 * else the desktop's opener (xdg-open, open, or start). Resolves with what was used once it was started.
 */
export function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const browser = env.BROWSER?.split(':')[0]?.trim();
  const [command, args] = browser
    ? [browser, [url]]
    : process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore', env });
    child.once('error', (err) => reject(new Error(`${command}: ${err.message}`)));
    child.once('spawn', () => {
      child.unref();
      resolve(command);
    });
  });
}
