/**
 * Runs tasks one at a time per character, in arrival order. Every read-modify-write of a character's recent
 * window goes through here, so a /cache arriving while a summary is being applied cannot be lost between the
 * read and the write.
 */
export class CharacterQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(character: string, task: () => T | Promise<T>): Promise<T> {
    const previous = this.tails.get(character) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    const tail = next.catch(() => undefined);
    this.tails.set(character, tail);
    void tail.then(() => {
      if (this.tails.get(character) === tail) this.tails.delete(character);
    });
    return next;
  }
}
