import { tooLarge } from './too-large.js';

/** Counts bytes as they arrive, per file and in total, and stops an upload the moment either cap is passed. */
export class ByteBudget {
  private total = 0;
  private files = 0;

  constructor(
    private readonly limits: { fileBytes: number; totalBytes: number; maxFiles: number },
    private readonly what: string,
  ) {}

  get used(): number {
    return this.total;
  }

  /** Call once per file before writing it. */
  startFile(): void {
    this.files += 1;
    if (this.files > this.limits.maxFiles) throw tooLarge(`${this.what}: more than ${this.limits.maxFiles} files`, this.limits.totalBytes);
  }

  /** Call per chunk with the file's running size. */
  take(chunkBytes: number, fileBytesSoFar: number): void {
    this.total += chunkBytes;
    if (fileBytesSoFar > this.limits.fileBytes) throw tooLarge(`${this.what}: one file`, this.limits.fileBytes);
    if (this.total > this.limits.totalBytes) throw tooLarge(this.what, this.limits.totalBytes);
  }
}
