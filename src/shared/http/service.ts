import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyError } from 'fastify';
import { ZodError } from 'zod';
import { ApiError } from '../errors.js';
import { buildHealthBody } from '../health.js';
import { createLogger, type Logger } from '../log.js';
import { bindHost, isLoopbackHost, servicePort, servicePortVariable, type ServiceName } from '../ports.js';
import { installGuard } from './guard.js';
import { EXIT_CONFIG_ERROR, EXIT_STOP_REQUESTED } from '../exit-codes.js';

export interface ServiceOptions {
  log?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Largest request body accepted (uploads set their own limits per route). */
  bodyLimit?: number;
  /** Extra fields for /health (never override the four core keys). */
  health?: () => Record<string, unknown>;
}

/** 1 MiB: JSON bodies of this API are small; uploads raise it per route. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export class StartupError extends Error {}

/** A fastify app with what every neko service shares: logging, JSON errors, the guard, /health. */
export function createService(service: ServiceName, opts: ServiceOptions = {}): FastifyInstance {
  const env = opts.env ?? process.env;
  const log = opts.log ?? createLogger(service);
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    routerOptions: { maxParamLength: 500 },
  });

  // Empty JSON bodies are accepted (some of the original page's POSTs send none); bad JSON is a clear 400.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '' || body === undefined) return done(null, undefined);
    parseJson(req, body as string, done);
  });

  const host = bindHost(env);
  const token = env.NEKO_ACCESS_TOKEN?.trim() || undefined;
  if (!isLoopbackHost(host) && !token) {
    throw new StartupError(`NEKO_BIND_HOST=${host} exposes ${service} beyond this machine: set NEKO_ACCESS_TOKEN too`);
  }
  installGuard(app, {
    token,
    bindHost: host,
    allowedOrigins: env.NEKO_ALLOWED_ORIGINS?.split(',') ?? [],
  });

  app.setErrorHandler((err: FastifyError | ApiError | ZodError, req, reply) => {
    if (err instanceof ApiError) return reply.code(err.status).send(err.body());
    if (err instanceof ZodError) {
      const issue = err.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      return reply.code(400).send({ success: false, error: `${where}${issue?.message ?? 'invalid request'}`, code: 'INVALID_REQUEST' });
    }
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err, url: req.url }, 'request failed');
    const message =
      err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError
        ? `invalid JSON body: ${err.message}`
        : err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? `request body too large (limit ${app.initialConfig.bodyLimit} bytes)`
          : status >= 500
            ? `internal error: ${err.message}`
            : err.message;
    return reply.code(status).send({ success: false, error: message, detail: message, ...(err.code ? { code: err.code } : {}) });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ success: false, error: 'Not Found', detail: 'Not Found' }));

  app.get('/health', async () => buildHealthBody(service, opts.health?.() ?? {}));
  return app;
}

/**
 * Listens on the service's port (env override or default), says so in one log line (tests read the port
 * from it), and turns "port in use" into a message naming the port and its variable.
 */
export async function listenService(app: FastifyInstance, service: ServiceName, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const port = servicePort(service, env);
  const host = bindHost(env);
  try {
    await app.listen({ port, host });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartupError(`port ${port} is already in use on ${host}: stop the other program or set ${servicePortVariable(service)} to another port`);
    }
    throw err;
  }
  const address = app.server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  app.log.info({ event: 'listening', port: actual, host }, `${service} listening on http://${host}:${actual}`);
  process.send?.({ type: 'listening', service, port: actual });
  return actual;
}

export { EXIT_CONFIG_ERROR };

let exitCode = 0;

/** Stops this service gracefully and tells the launcher to stop the whole app (EXIT_STOP_REQUESTED). */
export function requestAppStop(): void {
  exitCode = EXIT_STOP_REQUESTED;
  process.kill(process.pid, 'SIGTERM');
}

/**
 * Runs a service entry point: start, and on SIGTERM/SIGINT close within `graceMs`.
 * Startup errors print one clear line and exit with EXIT_CONFIG_ERROR so the launcher does not loop.
 */
export async function runService(
  service: ServiceName,
  start: () => Promise<{ close: () => Promise<void> }>,
  log: Logger = createLogger(service),
  graceMs = 2000,
): Promise<void> {
  let running: { close: () => Promise<void> } | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `${service} stopping`);
    const timer = setTimeout(() => {
      log.warn(`${service} did not stop within ${graceMs} ms; exiting`);
      process.exit(1);
    }, graceMs);
    timer.unref();
    try {
      await running?.close();
    } catch (err) {
      log.error({ err }, 'error while stopping');
    }
    process.exit(exitCode);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  process.on('disconnect', () => void stop('parent exited'));
  try {
    running = await start();
  } catch (err) {
    if (err instanceof StartupError || (err as Error).name === 'PortConfigError') {
      log.fatal({ event: 'startup_failed', reason: (err as Error).message }, (err as Error).message);
      process.exit(EXIT_CONFIG_ERROR);
    }
    log.fatal({ err }, `${service} failed to start`);
    process.exit(1);
  }
}
