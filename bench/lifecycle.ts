import { killAllChildrenNow, stopAllChildren } from './children.js';
import { errorMessage } from './errors.js';

export interface BenchLifecycle {
  /** Aborted on Ctrl-C or SIGTERM: stops the load and any wait, so cleanup starts at once. */
  readonly interrupted: AbortSignal;
  /**
   * Runs the bench, cleans up whatever path it took, and exits with its code (1 if it threw). Once
   * interrupted, the signal handler owns the exit (130/143) after its own cleanup.
   */
  run(main: () => Promise<number>): Promise<void>;
}

/**
 * The life of a bench process. Cleanup stops every child (children.ts), then calls `release` for the
 * rest (databases, temp directories, servers in this process); it happens once, on the normal path, on
 * errors and on Ctrl-C. A second Ctrl-C kills the children at once and leaves `leftBehind`.
 */
export function benchLifecycle(options: {
  release: () => Promise<void>;
  leftBehind: string;
}): BenchLifecycle {
  const interrupt = new AbortController();

  let cleaning: Promise<void> | null = null;
  /** Idempotent: the signal handler and the normal path may both ask for it. */
  const cleanup = (): Promise<void> => {
    cleaning ??= (async () => {
      await stopAllChildren();
      try {
        await options.release();
      } catch (error) {
        console.error(`cleanup: ${errorMessage(error)}`);
      }
    })();
    return cleaning;
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupt.signal.aborted) {
      // A second Ctrl-C: the user will not wait for a graceful cleanup.
      console.error(`interrupted again: killing children; ${options.leftBehind} may be left behind`);
      killAllChildrenNow();
      process.exit(130);
    }
    console.error(`\n${signal}: stopping the bench, cleaning up…`);
    interrupt.abort();
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Whatever path ends the process (an uncaught error included), no child outlives it.
  process.on('exit', killAllChildrenNow);

  return {
    interrupted: interrupt.signal,
    async run(main) {
      let exitCode = 1;
      try {
        exitCode = await main();
      } catch (error) {
        if (!interrupt.signal.aborted) console.error(`bench failed: ${errorMessage(error)}`);
      } finally {
        await cleanup();
      }
      if (!interrupt.signal.aborted) process.exit(exitCode);
    },
  };
}
