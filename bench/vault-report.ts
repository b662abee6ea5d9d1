import { type Check, errorLines, formatTable, integer, number, targetLines } from './format.js';
import { errorCount, type LoadResult, succeededPerSecond } from './load.js';

/** What `npm run bench:vault` measured; a phase left out (BENCH_ONLY) or cut short by a crash is absent. */
export interface VaultRun {
  /** `PostgreSQL 16.4 (database …)` or `embedded PGlite (…)`. */
  database: string;
  cores: number;
  connections: number;
  proxyConnections: number;
  durationSeconds: number;
  tokens?: LoadResult;
  /** The echo host loaded directly, then through the vault's proxy. */
  direct?: LoadResult;
  proxied?: LoadResult;
  /** The same pair at one connection: the hop's cost without queueing. */
  unloaded?: { direct: LoadResult; proxied: LoadResult };
  /** The vault's VmHWM once the tokenization load is over, and at the end of the run (MB). */
  tokensPeakRssMb: number | null;
  peakRssMb: number | null;
  /** Why the run stopped early (the vault crashed or did not start). */
  error?: string;
}

/** From the vault's issue: tokenization throughput on a 2-core machine, and the proxy's cost. */
export const VAULT_TARGETS = {
  minTokensPerSecond: 2_000,
  onCores: 2,
  maxAddedP99Ms: 3,
} as const;

const ms = (value: number): string => number.format(value);

export function printVaultReport(run: VaultRun): void {
  const out: string[] = [
    '',
    `vault on ${run.database}, ${run.cores} cores, ${run.durationSeconds} s per load`,
  ];

  if (run.tokens) {
    const { tokens } = run;
    out.push('', `POST /v1/tokens (card with CVC, publishable key), ${run.connections} connections`, '');
    out.push(
      ...formatTable(
        ['', 'tokens/s', 'p50 ms', 'p99 ms', 'errors', 'vault peak RSS MB'],
        [
          [
            'tokenize',
            number.format(succeededPerSecond(tokens)),
            ms(tokens.p50Ms),
            ms(tokens.p99Ms),
            integer.format(errorCount(tokens)),
            run.tokensPeakRssMb === null ? 'n/a' : number.format(run.tokensPeakRssMb),
          ],
        ],
      ),
    );
    out.push(...errorLines('tokenize', tokens, '2xx other than 201 with a token'));
  }

  const { direct, proxied } = run;
  if (direct || proxied) {
    out.push(
      '',
      `POST /v1/proxy (signed, {{tok_….number}} filled in) against the echo host direct, ${run.proxyConnections} connections`,
      '',
    );
    const row = (name: string, load: LoadResult): string[] => [
      name,
      number.format(succeededPerSecond(load)),
      ms(load.p50Ms),
      ms(load.p99Ms),
      integer.format(errorCount(load)),
    ];
    const rows: string[][] = [];
    if (direct) rows.push(row('echo host direct', direct));
    if (proxied) rows.push(row('through the vault', proxied));
    if (direct && proxied) {
      rows.push([
        'added by the vault',
        '',
        ms(proxied.p50Ms - direct.p50Ms),
        ms(proxied.p99Ms - direct.p99Ms),
        '',
      ]);
    }
    out.push(...formatTable(['', 'requests/s', 'p50 ms', 'p99 ms', 'errors'], rows));
    if (direct) out.push(...errorLines('echo host direct', direct, '2xx other than 200'));
    if (proxied) out.push(...errorLines('through the vault', proxied, "2xx without the provider's 200"));
    if (run.unloaded) {
      const { direct: d, proxied: p } = run.unloaded;
      out.push(
        '',
        `one request at a time (1 connection): ${number.format(succeededPerSecond(p))} proxied requests/s; the vault adds ${ms(p.p50Ms - d.p50Ms)} ms at p50, ${ms(p.p99Ms - d.p99Ms)} ms at p99`,
      );
    }
  }

  if (run.peakRssMb !== null) out.push('', `vault peak RSS over the run: ${number.format(run.peakRssMb)} MB`);
  if (run.error) out.push('', `vault FAILED: ${run.error}`);
  out.push(...targetLines('vault', checks(run), 36));
  console.log(out.join('\n'));
}

function checks(run: VaultRun): Check[] {
  const tokensPerSecond = run.tokens ? succeededPerSecond(run.tokens) : null;
  const added = run.direct && run.proxied ? run.proxied.p99Ms - run.direct.p99Ms : null;
  const cores =
    run.cores === VAULT_TARGETS.onCores
      ? ''
      : ` (measured on ${run.cores} cores, not ${VAULT_TARGETS.onCores})`;
  return [
    {
      label: `tokenizations/s ≥ ${integer.format(VAULT_TARGETS.minTokensPerSecond)} on ${VAULT_TARGETS.onCores} cores`,
      pass:
        tokensPerSecond === null
          ? run.error
            ? false
            : null
          : tokensPerSecond >= VAULT_TARGETS.minTokensPerSecond,
      measured: tokensPerSecond === null ? 'not measured' : `${number.format(tokensPerSecond)}${cores}`,
    },
    {
      label: `proxy adds < ${VAULT_TARGETS.maxAddedP99Ms} ms at p99`,
      pass: added === null ? (run.error ? false : null) : added < VAULT_TARGETS.maxAddedP99Ms,
      measured:
        added === null
          ? 'not measured'
          : `${ms(added)} ms at ${run.proxyConnections} connection${run.proxyConnections === 1 ? '' : 's'}`,
    },
  ];
}
