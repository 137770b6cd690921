/**
 * Whether main was launched for a browser tab (the original's `--open-browser`): only then does closing the
 * page stop the server (`/api/beacon/shutdown`). Set by the flag on main's command line or, for launchers
 * that start main as a child, by `NEKO_OPEN_BROWSER=1`.
 */
export function isBrowserMode(env: NodeJS.ProcessEnv, argv: readonly string[] = process.argv): boolean {
  return env.NEKO_OPEN_BROWSER === '1' || argv.slice(2).includes('--open-browser');
}
