import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bindHost, isLoopbackHost, SERVICE_NAMES, servicePort, servicePortVariable, zmqPort, ZMQ_PORTS, type ServiceName } from '../shared/ports.js';
import { formatLogLine } from './log-format.js';
import { openInBrowser, parseLaunchArgs } from './open-browser.js';
import { describePortHolder, portIsFree } from './port-check.js';
import { SupervisedService } from './supervise.js';

/** Stop everything within 3 s of Ctrl-C: children get 2.5 s before SIGKILL. */
const CHILD_GRACE_MS = 2500;
/** First start includes loading native modules; generous, the bench measures the real figure. */
const STARTUP_TIMEOUT_MS = 30_000;

const args = (() => {
  try {
    return parseLaunchArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`[neko]    ${(err as Error).message}\n`);
    process.exit(2);
  }
})();
const env = { ...process.env };
// Main reads this: in browser mode, closing the page (`/api/beacon/shutdown`) stops the app.
if (args.openBrowser) env.NEKO_OPEN_BROWSER = '1';
const instanceId = env.NEKO_INSTANCE_ID?.trim() || randomUUID().replace(/-/g, '');
env.NEKO_INSTANCE_ID = instanceId;
const token = env.NEKO_ACCESS_TOKEN?.trim() || undefined;
const host = bindHost(env);
const here = fileURLToPath(new URL('.', import.meta.url));
const fromSource = import.meta.url.endsWith('.ts');

function say(message: string): void {
  process.stdout.write(`[neko]    ${message}\n`);
}

function fail(message: string): never {
  process.stderr.write(`[neko]    ${message}\n`);
  process.exit(1);
}

/**
 * V8 flags per service, so an idle companion stays light: a small young generation (the services allocate
 * little; scavenges stay cheap). No lite mode: it turns WebAssembly off, and fetch (undici's HTTP parser) and
 * the audio resampler both run WASM.
 */
const NODE_FLAGS: Record<ServiceName, string[]> = {
  main: ['--max-semi-space-size=1'],
  memory: ['--max-semi-space-size=1'],
  agent: ['--max-semi-space-size=1'],
  monitor: ['--max-semi-space-size=1'],
};

/** From source (tsx) each service runs its own index.ts; built, each is one bundle beside the launcher's. */
function entryArgs(service: ServiceName): string[] {
  return fromSource ? ['--import', 'tsx', join(here, '..', service, 'index.ts')] : [...NODE_FLAGS[service], join(here, `${service}.mjs`)];
}

async function checkPorts(): Promise<void> {
  if (!isLoopbackHost(host) && !token) fail(`NEKO_BIND_HOST=${host} exposes neko beyond this machine: set NEKO_ACCESS_TOKEN as well.`);
  for (const service of SERVICE_NAMES) {
    const port = servicePort(service, env);
    if (port === 0 || (await portIsFree(port, host))) continue;
    const holder = await describePortHolder(`http://127.0.0.1:${port}`);
    if (holder === 'neko') fail(`neko already seems to be running (${service} answers on port ${port}). Open http://127.0.0.1:${servicePort('main', env)}/ or stop it first.`);
    fail(`port ${port} (${service}) is already in use by another program: stop it or set ${servicePortVariable(service)} to another port.`);
  }
  for (const [name, { env: variable }] of Object.entries(ZMQ_PORTS)) {
    const port = zmqPort(name as keyof typeof ZMQ_PORTS, env);
    if (port !== 0 && !(await portIsFree(port, '127.0.0.1'))) fail(`ZeroMQ port ${port} is already in use: stop the other program or set NEKO_${variable}.`);
  }
}

async function main(): Promise<void> {
  try {
    await checkPorts();
  } catch (err) {
    fail((err as Error).message);
  }
  const started = Date.now();
  const services = SERVICE_NAMES.map(
    (service) =>
      new SupervisedService({
        service,
        args: entryArgs(service),
        env,
        healthUrl: `http://127.0.0.1:${servicePort(service, env)}/health`,
        instanceId,
        token,
      }),
  );

  let shuttingDown = false;
  const shutdown = async (reason: string, code = 0) => {
    if (shuttingDown) return;
    shuttingDown = true;
    say(`stopping (${reason})`);
    await Promise.all(services.map((s) => s.stop(CHILD_GRACE_MS)));
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('Ctrl-C'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  for (const s of services) {
    s.on('line', (service, line) => process.stdout.write(`${formatLogLine(service, line)}\n`));
    s.on('notice', (service, level, message) => (level === 'info' ? say(message) : process.stderr.write(`[neko]    ${level.toUpperCase()} ${message}\n`)));
    s.on('stop-requested', (service) => void shutdown(`${service} was asked to stop: the page was closed`));
    s.on('fatal', (service, reason) => {
      process.stderr.write(`[neko]    ${service} cannot start: ${reason}\n`);
      void shutdown(`${service} cannot start`, 1);
    });
    s.start();
  }

  try {
    await Promise.all(services.map((s) => s.waitHealthy(STARTUP_TIMEOUT_MS)));
  } catch (err) {
    if (!shuttingDown) {
      process.stderr.write(`[neko]    ${(err as Error).message}\n`);
      await shutdown('start-up failed', 1);
    }
    return;
  }
  const pageHost = isLoopbackHost(host) ? '127.0.0.1' : host;
  const url = `http://${pageHost}:${servicePort('main', env)}/${args.page}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  say(`ready in ${Date.now() - started} ms: open ${url}  (Ctrl-C stops neko)`);
  if (args.openBrowser) {
    openInBrowser(url, env).then(
      (how) => say(`opened the page with ${how}; closing it stops neko`),
      (err: Error) => say(`could not open a browser (${err.message}); open ${url} yourself`),
    );
  }
}

await main();
