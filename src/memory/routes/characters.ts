import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log.js';
import { RenameCharacterBodySchema, type CharacterFilesResult } from '../../shared/protocol/memory.js';
import { CharacterFilesError, type CharacterFilesOutcome } from '../character-files.js';

export interface CharacterRoutesOptions {
  /** Closes the character's database, then moves or removes every memory file (MemoryService). */
  files: {
    renameCharacter(oldName: string, newName: string): Promise<CharacterFilesOutcome>;
    deleteCharacter(name: string): Promise<CharacterFilesOutcome>;
  };
  log: Logger;
}

/** Errors carry `detail`, the field the original memory service (FastAPI) uses, as well as our `error`. */
function apiError(status: number, message: string): ApiError {
  return new ApiError(status, message, undefined, { detail: message });
}

async function run(action: () => Promise<{ files: string[] }>): Promise<{ files: string[] }> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof CharacterFilesError) throw apiError(err.status, err.message);
    throw err;
  }
}

/**
 * neko's character lifecycle on the memory service (the original had none, memory.md §1.13): main calls these
 * when a character is renamed or deleted, so memory follows the character instead of being orphaned. A rename also
 * rewrites the old name inside the moved recent window (main's /api/memory/update_catgirl_name forwards here).
 */
export async function characterRoutes(app: FastifyInstance, opts: CharacterRoutesOptions): Promise<void> {
  app.post('/characters/:name/rename', async (req): Promise<CharacterFilesResult> => {
    const { name } = req.params as { name: string };
    const body = RenameCharacterBodySchema.safeParse(req.body ?? {});
    if (!body.success) throw apiError(400, 'body must be {"new_name": "<name>"}');
    const { files } = await run(() => opts.files.renameCharacter(name, body.data.new_name));
    opts.log.info({ event: 'character_memory_renamed', from: name, to: body.data.new_name, files }, 'character memory renamed');
    return { status: 'renamed', files };
  });

  app.delete('/characters/:name', async (req): Promise<CharacterFilesResult> => {
    const { name } = req.params as { name: string };
    const { files } = await run(() => opts.files.deleteCharacter(name));
    opts.log.info({ event: 'character_memory_deleted', name, files }, 'character memory deleted');
    return { status: 'deleted', files };
  });
}
