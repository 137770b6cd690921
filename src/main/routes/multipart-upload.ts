import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { badRequest } from '../../shared/errors.js';

export interface UploadedPart {
  fieldname: string;
  /** As sent: for a browser folder upload this is the relative path (`model/model.model3.json`). */
  filename: string;
  stream: Readable;
}

/** Adds multipart parsing to one route scope; limits are passed per request. */
export async function enableMultipart(app: FastifyInstance): Promise<void> {
  await app.register(multipart);
}

/**
 * The file parts of a multipart request, streamed one after another. Busboy's own caps sit one byte above
 * ours so the byte counters in the assets modules (which give the clear 413) trip first.
 */
export async function* uploadedFiles(req: FastifyRequest, limits: { maxFiles: number; fileBytes: number }): AsyncGenerator<UploadedPart> {
  if (!req.isMultipart()) throw badRequest('没有上传文件 (a multipart/form-data upload is required)', 'NO_FILES');
  const parts = req.parts({ preservePath: true, limits: { files: limits.maxFiles, fileSize: limits.fileBytes + 1, fields: 50, fieldSize: 64 * 1024 } });
  for await (const part of parts) {
    if (part.type !== 'file') continue;
    yield { fieldname: part.fieldname, filename: part.filename, stream: part.file };
  }
}

/** The single file of a one-file upload (fields `file`/`files`); a missing file is a 400. */
export async function singleUpload(req: FastifyRequest, fileBytes: number): Promise<UploadedPart> {
  if (!req.isMultipart()) throw badRequest('没有上传文件 (a multipart/form-data upload is required)', 'NO_FILES');
  const part = await req.file({ limits: { files: 1, fileSize: fileBytes + 1, fields: 50, fieldSize: 64 * 1024 } });
  if (!part) throw badRequest('没有上传文件', 'NO_FILES');
  return { fieldname: part.fieldname, filename: part.filename, stream: part.file };
}

/** Reads a part to its end without keeping it (busboy waits until every part is consumed). */
export async function discardPart(stream: Readable): Promise<void> {
  for await (const _ of stream) {
    // dropped
  }
}
