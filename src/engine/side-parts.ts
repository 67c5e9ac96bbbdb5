import type { ReplyPart } from './parts.js';

/**
 * The parts of `run`, with parts it sends out of band through `emit` (a 'started' while a
 * command awaits a draft, before it yields anything) passed on as soon as they are sent, ahead
 * of whatever `run` yields next.
 */
export async function* withSideParts(run: (emit: (part: ReplyPart) => void) => AsyncIterable<ReplyPart>): AsyncGenerator<ReplyPart> {
  const pending: ReplyPart[] = [];
  let wake: (() => void) | undefined;
  const emit = (part: ReplyPart): void => {
    pending.push(part);
    wake?.();
  };
  const parts = run(emit)[Symbol.asyncIterator]();
  let finished = false;
  /** Whether `run` is between a next() and its answer (running, not suspended at a yield). */
  let running = true;
  try {
    let next = parts.next();
    for (;;) {
      while (pending.length) yield pending.shift()!;
      const woken = new Promise<'side'>((resolve) => (wake = () => resolve('side')));
      const got = await Promise.race([next, woken]);
      wake = undefined;
      if (got === 'side') continue;
      running = false;
      if (got.done) break;
      while (pending.length) yield pending.shift()!;
      yield got.value;
      running = true;
      next = parts.next();
    }
    finished = true;
    while (pending.length) yield pending.shift()!;
  } finally {
    // A reader that stopped early: the command ends (its finally blocks run), at once when it is
    // suspended; when it is running (a side part was read meanwhile), as soon as it yields.
    if (!finished && parts.return) {
      if (running) void parts.return(undefined).catch(() => undefined);
      else await parts.return(undefined);
    }
  }
}
