import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Lines of a child's output kept in memory, to show why it failed. */
const TAIL_LINES = 30;
/** How long a child gets to shut down on SIGTERM before it is killed. */
const STOP_GRACE_MS = 5_000;

/** Every child still running, so cleanup can stop them whatever path the bench took. */
const running = new Map<NodeChild, ChildProcess>();

export interface NodeChild {
  readonly name: string;
  readonly pid: number;
  /** File that receives the child's stdout and stderr, kept after the run for post-mortems. */
  readonly logPath: string;
  /** Resolves (never rejects) when the process has exited, with a description of how. */
  readonly exited: Promise<string>;
  hasExited(): boolean;
  /** The last lines the child printed. */
  tail(): string;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
  stop(): Promise<void>;
}

/**
 * Starts `node <script>` (a built bundle) or `node --import tsx <script>` (a .ts file) with cwd `cwd`.
 * Node is spawned directly (not through npm or the tsx CLI, which would fork once more) so that the pid we hold is the process serving requests, whose
 * memory we measure.
 */
export function startNodeChild(
  name: string,
  script: string,
  options: {
    cwd: string;
    env: Record<string, string>;
    /** Flags for node itself, before the script (`--cpu-prof`). */
    nodeArgs?: string[];
  },
): NodeChild {
  const logPath = join(tmpdir(), `payin-bench-${name}-${process.pid}.log`);
  const log = createWriteStream(logPath);
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      ...(script.endsWith('.ts') ? ['--import', 'tsx', script] : ['--enable-source-maps', script]),
    ],
    {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (child.pid === undefined) throw new Error(`could not start ${name} (${script})`);

  const lines: string[] = [];
  let partial = '';
  const collect = (chunk: Buffer): void => {
    log.write(chunk);
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    if (lines.length > TAIL_LINES) lines.splice(0, lines.length - TAIL_LINES);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let done = false;
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => {
      done = true;
      running.delete(handle);
      resolve(`failed to run: ${error.message}`);
    });
    child.once('exit', (code, signal) => {
      done = true;
      running.delete(handle);
      resolve(signal ? `killed by ${signal}` : `exited with code ${code}`);
    });
  });
  // Close the log only once the pipes are drained, so the file holds the child's last words.
  child.once('close', () => log.end());

  const handle: NodeChild = {
    name,
    pid: child.pid,
    logPath,
    exited,
    hasExited: () => done,
    tail: () => [...lines, partial].filter((line) => line.trim() !== '').join('\n'),
    async stop() {
      if (done) return;
      child.kill('SIGTERM');
      const gone = await Promise.race([exited.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
      if (!gone) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  running.set(handle, child);
  return handle;
}

/** Stops every child still running, each with its grace period, all at once. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running.keys()].map((child) => child.stop()));
}

/** Synchronous last resort for process 'exit': whatever is still running dies with the bench. */
export function killAllChildrenNow(): void {
  for (const child of running.values()) child.kill('SIGKILL');
}

/** A child that did not come up must not linger and steal CPU from what runs next. */
export async function stopOnFailure<T>(child: NodeChild, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/** A TCP port that was free a moment ago (the OS picks it), for a child to listen on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * Polls `url` until it answers 200. Fails early, with the child's last output, if the child exits
 * first, and after `timeoutMs` otherwise.
 */
export async function waitForHealthy(
  url: string,
  child: NodeChild,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if (child.hasExited()) {
      throw new Error(`${child.name} ${await child.exited} before becoming healthy${lastOutput(child)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      // Connection refused is expected while the child boots; keep the reason for the timeout message.
      last =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : '';
    }
    await sleep(100);
  }
  throw new Error(
    `${child.name} not healthy after ${timeoutMs / 1000} s (${url}: ${last})${lastOutput(child)}`,
  );
}

/** The child's last lines, set apart from the one-line summary that precedes them in error messages. */
export function lastOutput(child: NodeChild): string {
  const tail = child.tail();
  return tail ? `\n--- last output of ${child.name} (all of it in ${child.logPath}) ---\n${tail}` : '';
}

/**
 * Peak resident memory of a live process in MB, from VmHWM in /proc (Linux): the kernel tracks the high
 * water mark itself, so unlike sampling VmRSS it cannot miss a short spike. Null where /proc is absent.
 */
export function peakRssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}
