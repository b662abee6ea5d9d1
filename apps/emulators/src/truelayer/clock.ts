/**
 * The emulator's clock: real time plus an offset the control API can move forward. Work due at a
 * time (execution, settlement, expiry) is scheduled on it, so moving time runs what fell due at
 * once: a test sees a 15-minute expiry without waiting 15 minutes.
 */
export class EmulatorClock {
  private offsetMs = 0;
  private readonly tasks = new Set<{ dueAt: number; run: () => void; timer: NodeJS.Timeout }>();
  private closed = false;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Runs `run` once `delayMs` of emulator time has passed (real time, or sooner if moved). */
  schedule(delayMs: number, run: () => void): void {
    if (this.closed) return;
    const task = {
      dueAt: this.now().getTime() + delayMs,
      run,
      timer: undefined as unknown as NodeJS.Timeout,
    };
    task.timer = setTimeout(() => this.fire(task), delayMs);
    task.timer.unref();
    this.tasks.add(task);
  }

  /** Moves time forward and runs, in due order, what has fallen due; answers how many ran. */
  advance(ms: number): number {
    this.offsetMs += ms;
    let ran = 0;
    for (;;) {
      const due = [...this.tasks]
        .filter((task) => task.dueAt <= this.now().getTime())
        .sort((a, b) => a.dueAt - b.dueAt)[0];
      if (!due) return ran;
      clearTimeout(due.timer);
      this.fire(due);
      ran += 1;
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
