import type { Logger } from 'pino';

export interface PeriodicJob {
  /** Runs the job now (after the round in flight, if any) and resolves when it is done. */
  runOnce(): Promise<void>;
  /** Stops scheduling and waits for the round in flight. */
  stop(): Promise<void>;
}

/**
 * Runs `job` every `intervalMs`, one round at a time in this process: the next round is scheduled
 * when the previous one ends, so slow rounds never pile up. A failed round is logged and retried at
 * the next tick. The timer does not keep the process alive.
 */
export function runPeriodically(
  name: string,
  job: () => Promise<void>,
  options: { intervalMs: number; logger: Logger },
): PeriodicJob {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const round = async () => {
    try {
      await job();
    } catch (error) {
      options.logger.error({ err: error, job: name }, 'periodic job failed; retrying at the next tick');
    }
  };
  const run = () => {
    current = current.then(round);
    return current;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void run().then(schedule), options.intervalMs);
    timer.unref();
  };
  schedule();
  return {
    runOnce: run,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
