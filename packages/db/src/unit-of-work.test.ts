import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { combine } from './unit-of-work.js';

describe('combine', () => {
  it('joins writes into one statement, renumbering each one’s parameters', () => {
    const q = combine([
      CompiledQuery.raw('insert into a (x, y) values ($1, $2)', [1, 2]),
      CompiledQuery.raw('update b set x = $1 where id = $2', ['u', 'b1']),
      CompiledQuery.raw('insert into c (x) values ($1), ($2), ($3)', [7, 8, 9]),
    ]);
    expect(q.sql).toBe(
      'WITH w0 AS (insert into a (x, y) values ($1, $2)), w1 AS (update b set x = $3 where id = $4), ' +
        'w2 AS (insert into c (x) values ($5), ($6), ($7)) SELECT 1',
    );
    expect(q.parameters).toEqual([1, 2, 'u', 'b1', 7, 8, 9]);
  });

  it('puts guards first and makes the statement fail when a guard finds no row', () => {
    const q = combine(
      [CompiledQuery.raw('update p set s = $1 where id = $2', ['done', 'p1'])],
      [CompiledQuery.raw('select 1 from p where id = $1 and s = $2 for update', ['p1', 'processing'])],
    );
    expect(q.sql).toBe(
      'WITH g0 AS (select 1 from p where id = $1 and s = $2 for update), ' +
        'ok AS (SELECT 1 / ((SELECT count(*) FROM g0)) AS ok), ' +
        'w0 AS (update p set s = $3 where id = $4) SELECT ok FROM ok',
    );
    expect(q.parameters).toEqual(['p1', 'processing', 'done', 'p1']);
  });

  it('renumbers two-digit parameters whole', () => {
    const many = Array.from({ length: 12 }, (_, i) => `$${i + 1}`).join(', ');
    const q = combine([
      CompiledQuery.raw(
        `select ${many}`,
        Array.from({ length: 12 }, (_, i) => i),
      ),
      CompiledQuery.raw('select $10, $11, $12', [0, 0, 0]),
    ]);
    expect(q.sql).toContain('w1 AS (select $22, $23, $24)');
  });
});
