import { type Check, errorLines, formatTable, integer, number, targetLines } from './format.js';
import { errorCount, type LoadResult, succeededPerSecond } from './load.js';

/** What one server's run gave: figures, or why there are none. */
export type TargetRun =
  | { ok: true; load: LoadResult; peakRssMb: number | null }
  | { ok: false; error: string };

/** Runs by server; a server left out with BENCH_ONLY is absent. */
export interface Runs {
  api?: TargetRun;
  bare?: TargetRun;
}

/** The api's targets; the bare server is only the yardstick for the ratio. */
export const TARGETS = {
  minPaymentsPerSecond: 1_200,
  minRatio: 0.5,
  maxP99Ms: 100,
  maxErrors: 0,
  maxRssMb: 300,
} as const;

export function printReport(runs: Runs, settings: { connections: number; durationSeconds: number }): void {
  const out: string[] = [];
  out.push(
    '',
    `POST /v1/payments (create + confirm), ${settings.connections} connections, ${settings.durationSeconds} s each`,
    '',
  );
  out.push(...table(runs));
  out.push(...errorDetails(runs));

  const api = runs.api?.ok ? runs.api : null;
  const bare = runs.bare?.ok ? runs.bare : null;
  const ratio = api && bare ? ratioOf(api.load, bare.load) : null;
  out.push('', `api/bare payments/s: ${ratio === null ? 'n/a' : ratio.toFixed(2)}`);

  if (runs.api !== undefined) {
    out.push(...targetLines('api', apiChecks(api, ratio, runs.bare === undefined)));
  }
  console.log(out.join('\n'));
}

function table(runs: Runs): string[] {
  const header = ['', 'payments/s', 'p50 ms', 'p99 ms', 'errors', 'peak RSS MB'];
  const rows: string[][] = [];
  for (const name of ['api', 'bare'] as const) {
    const run = runs[name];
    if (run === undefined) continue;
    if (!run.ok) {
      rows.push([name, `crashed: ${run.error.split('\n')[0] ?? ''}`]);
      continue;
    }
    rows.push([
      name,
      number.format(succeededPerSecond(run.load)),
      integer.format(run.load.p50Ms),
      integer.format(run.load.p99Ms),
      integer.format(errorCount(run.load)),
      run.peakRssMb === null ? 'n/a' : number.format(run.peakRssMb),
    ]);
  }
  return formatTable(header, rows);
}

/** Explains a non-zero error count: by kind, by status, and a few bodies. */
function errorDetails(runs: Runs): string[] {
  const out: string[] = [];
  for (const name of ['api', 'bare'] as const) {
    const run = runs[name];
    if (run?.ok) out.push(...errorLines(name, run.load, '2xx without status "succeeded"'));
  }
  return out;
}

function apiChecks(
  api: { load: LoadResult; peakRssMb: number | null } | null,
  ratio: number | null,
  bareSkipped: boolean,
): Check[] {
  const pps = api ? succeededPerSecond(api.load) : null;
  const errors = api ? errorCount(api.load) : null;
  const rss = api?.peakRssMb ?? null;
  const measured = (value: number | null, unit = ''): string =>
    value === null ? (api ? 'not measured' : 'api did not run') : `${number.format(value)}${unit}`;
  return [
    {
      label: `payments/s ≥ ${integer.format(TARGETS.minPaymentsPerSecond)}`,
      pass: pps === null ? false : pps >= TARGETS.minPaymentsPerSecond,
      measured: measured(pps),
    },
    {
      label: `api/bare ratio ≥ ${TARGETS.minRatio}`,
      // Not running the bare server on purpose (BENCH_ONLY=api) leaves the ratio unknown, not failed.
      pass: ratio === null ? (bareSkipped && api ? null : false) : ratio >= TARGETS.minRatio,
      measured: ratio === null ? (bareSkipped ? 'bare server not run' : 'n/a') : ratio.toFixed(2),
    },
    {
      label: `p99 < ${TARGETS.maxP99Ms} ms`,
      pass: api ? api.load.p99Ms < TARGETS.maxP99Ms : false,
      measured: api ? `${integer.format(api.load.p99Ms)} ms` : measured(null),
    },
    {
      label: 'zero errors',
      pass: errors === null ? false : errors <= TARGETS.maxErrors,
      measured: errors === null ? measured(null) : integer.format(errors),
    },
    {
      label: `peak RSS < ${TARGETS.maxRssMb} MB`,
      pass: rss === null ? (api ? null : false) : rss < TARGETS.maxRssMb,
      measured: measured(rss, ' MB'),
    },
  ];
}

function ratioOf(api: LoadResult, bare: LoadResult): number | null {
  const barePps = succeededPerSecond(bare);
  return barePps > 0 ? succeededPerSecond(api) / barePps : null;
}
