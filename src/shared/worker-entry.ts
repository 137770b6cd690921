import { fileURLToPath } from 'node:url';

/**
 * How to start a worker thread whose code sits next to the caller: built, the bundle `<name>.mjs` beside the
 * caller's bundle in dist/; from source (tsx), a small bootstrap that registers tsx's loader inside the worker
 * and then imports `<name>.ts`, because under Node 20 a worker does not pick up tsx from `--import tsx`.
 */
export function workerEntry(callerUrl: string, name: string): { entry: URL | string; eval: boolean } {
  if (!callerUrl.endsWith('.ts')) return { entry: new URL(`./${name}.mjs`, callerUrl), eval: false };
  const tsxApi = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const source = JSON.stringify(new URL(`./${name}.ts`, callerUrl).href);
  return { entry: `import(${tsxApi}).then(({ register }) => { register(); return import(${source}); });`, eval: true };
}

/**
 * How to fork a helper process whose code sits next to the caller: built, the bundle `<name>.mjs` beside the
 * caller's bundle; from source, `<name>.ts` run with tsx's loader.
 */
export function childEntry(callerUrl: string, name: string): { modulePath: string; execArgv: string[] } {
  if (!callerUrl.endsWith('.ts')) return { modulePath: fileURLToPath(new URL(`./${name}.mjs`, callerUrl)), execArgv: ['--max-semi-space-size=1'] };
  return { modulePath: fileURLToPath(new URL(`./${name}.ts`, callerUrl)), execArgv: ['--import', 'tsx'] };
}
