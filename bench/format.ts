import { errorCount, type LoadResult } from './load.js';

/** One target, as the reports print it: PASS, FAIL, or n/a when its figure is missing. */
export interface Check {
  label: string;
  /** Null when the figure is missing (a server crashed or was not run). */
  pass: boolean | null;
  measured: string;
}

export const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
export const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * A table with a left-aligned first column and right-aligned figures. A row of two cells is a name and
 * a message (a crashed server): it sizes the name column only and its message runs on unaligned.
 */
export function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, column) =>
    Math.max(
      cell.length,
      ...rows.filter((row) => column === 0 || row.length > 2).map((row) => row[column]?.length ?? 0),
    ),
  );
  const format = (row: string[]): string =>
    row.length === 2
      ? `${(row[0] ?? '').padEnd(widths[0] ?? 0)}   ${row[1]}`
      : row
          .map((cell, column) =>
            column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
          )
          .join('   ');
  return [format(header), ...rows.map(format)];
}

/** `Targets (<title>):`, one verdict per check, and the overall result. */
export function targetLines(title: string, checks: Check[], labelWidth = 28): string[] {
  const out = ['', `Targets (${title}):`];
  for (const check of checks) {
    const verdict = check.pass === null ? 'n/a ' : check.pass ? 'PASS' : 'FAIL';
    out.push(`  ${verdict}  ${check.label.padEnd(labelWidth)} ${check.measured}`);
  }
  const missed = checks.filter((check) => check.pass === false).length;
  const unknown = checks.filter((check) => check.pass === null).length;
  out.push(
    '',
    missed > 0
      ? `Result: FAIL (${missed} of ${checks.length} targets missed${unknown ? `, ${unknown} not measured` : ''})`
      : unknown > 0
        ? `Result: INCOMPLETE (no target missed, ${unknown} not measured)`
        : 'Result: PASS (all targets met)',
  );
  return out;
}

/**
 * Explains a non-zero error count of one load: by kind, by status, and a few bodies. `unexpected` names
 * the 2xx answers that were not the expected one (`2xx without status "succeeded"`).
 */
export function errorLines(name: string, load: LoadResult, unexpected: string): string[] {
  if (errorCount(load) === 0) return [];
  const statuses = Object.entries(load.statusCounts)
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, count]) => `${status}×${count}`)
    .join(', ');
  return [
    '',
    `${name} errors: ${load.non2xx} non-2xx${statuses ? ` (${statuses})` : ''}, ${load.unexpected} ${unexpected}, ${load.socketErrors} socket errors, ${load.timeouts} timeouts`,
    ...load.sampleBodies.map((body) => `  e.g. ${body}`),
  ];
}
