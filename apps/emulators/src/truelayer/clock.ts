/**
 * The emulator's clock: real time plus an offset the control API can move forward. Work due at a
 * time (execution, settlement, expiry) is scheduled on it, so moving time runs what fell due at
 * once: a test sees a 15-minute expiry without waiting 15 minutes.
 */
export class EmulatorClock {
  private offsetMs = 0;
  /** While `advance` runs a task: the time it fell due, which is the task's now. */
  private pinnedAt: number | undefined;
  private readonly tasks = new Set<{ dueAt: number; run: () => void; timer: NodeJS.Timeout }>();
  private closed = false;

  now(): Date {
    return new Date(this.pinnedAt ?? Date.now() + this.offsetMs);
  }

  /** Runs `run` once `delayMs` of emulator time has passed (real time, or sooner if moved). */
  schedule(delayMs: number, run: () => void): void {
    if (this.closed) return;
    const task = {
      dueAt: this.now().getTime() + delayMs,
      run,
      timer: undefined as unknown as NodeJS.Timeout,
    };
    // Scheduled by a task `advance` runs, it is due `delayMs` after that task, which may already
    // be in the past of the moved clock: the real timer waits only for what is left.
    task.timer = setTimeout(() => this.fire(task), Math.max(0, task.dueAt - (Date.now() + this.offsetMs)));
    task.timer.unref();
    this.tasks.add(task);
  }

  /**
   * Moves time forward and runs, in due order, what has fallen due; answers how many ran. Each
   * task runs at the time it fell due, so what it schedules (a settlement after an execution, a
   * refund's next step) is due from then, and runs too if that is still within the move.
   */
  advance(ms: number): number {
    const from = this.now().getTime();
    this.offsetMs += ms;
    const to = from + ms;
    let ran = 0;
    try {
      for (;;) {
        const due = [...this.tasks].filter((task) => task.dueAt <= to).sort((a, b) => a.dueAt - b.dueAt)[0];
        if (!due) return ran;
        clearTimeout(due.timer);
        this.pinnedAt = Math.max(due.dueAt, from);
        this.fire(due);
        ran += 1;
      }
    } finally {
      this.pinnedAt = undefined;
    }
  }

  private fire(task: { dueAt: number; run: () => void; timer: NodeJS.Timeout }): void {
    if (!this.tasks.delete(task)) return;
    task.run();
  }

  close(): void {
    this.closed = true;
    for (const task of this.tasks) clearTimeout(task.timer);
    this.tasks.clear();
  }
}
