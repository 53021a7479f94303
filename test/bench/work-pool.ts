/**
 * Runs tasks with at most `concurrency` at once and holds at most `backlog` more waiting; `submit` waits while the
 * backlog is full, so a fast producer (the audience stream) never runs ahead of the senders by more than that.
 */
export class WorkPool {
  private active = 0;
  private readonly waiting: (() => Promise<void>)[] = [];
  private readonly spaceWaiters: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private failure: unknown;

  constructor(
    private readonly concurrency: number,
    private readonly backlog: number,
  ) {}

  async submit(task: () => Promise<void>): Promise<void> {
    while (this.waiting.length >= this.backlog) await new Promise<void>((r) => this.spaceWaiters.push(r));
    this.waiting.push(task);
    this.pump();
  }

  /** Resolves when every submitted task has finished; rejects with the first task failure. */
  async drain(): Promise<void> {
    if (this.active || this.waiting.length) await new Promise<void>((r) => this.idleWaiters.push(r));
    if (this.failure) throw this.failure;
  }

  private pump(): void {
    while (this.active < this.concurrency && this.waiting.length) {
      const task = this.waiting.shift() as () => Promise<void>;
      this.active++;
      this.spaceWaiters.shift()?.();
      task()
        .catch((err: unknown) => (this.failure ??= err))
        .finally(() => {
          this.active--;
          this.pump();
          if (!this.active && !this.waiting.length) this.idleWaiters.splice(0).forEach((r) => r());
        });
    }
  }
}
