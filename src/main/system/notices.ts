/**
 * Prominent notices for the page (rest.md §9.1), e.g. "your old voice was cleared": queued by whatever
 * noticed the problem, read by the page with a cursor, and dropped once the page acknowledges that cursor.
 */
export interface Notice {
  id: number;
  [key: string]: unknown;
}

export class NoticeBoard {
  private readonly queue: Notice[] = [];
  private lastId = 0;

  constructor(private readonly max = 100) {}

  push(notice: Record<string, unknown>): Notice {
    const entry = { ...notice, id: ++this.lastId };
    this.queue.push(entry);
    // A page that never acknowledges must not grow the queue forever; the oldest go first.
    if (this.queue.length > this.max) this.queue.splice(0, this.queue.length - this.max);
    return entry;
  }

  /** Everything pending and the cursor to acknowledge them with. */
  snapshot(): { notices: Notice[]; cursor: number } {
    return { notices: [...this.queue], cursor: this.lastId };
  }

  /** Drops notices up to `cursor`; returns how many. */
  ack(cursor: number): number {
    const before = this.queue.length;
    const keep = this.queue.filter((n) => n.id > cursor);
    this.queue.splice(0, this.queue.length, ...keep);
    return before - keep.length;
  }
}
