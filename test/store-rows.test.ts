import { describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, rowFromValues, rowValues, type EventRow } from '../src/store/rows.js';

describe('rowFromValues', () => {
  // every column a different value: a column read into the wrong field cannot go unnoticed
  const row = Object.fromEntries(EVENT_COLUMNS.map((c, i) => [c, c === 'ts_ms' || c === 'duration_ms' ? i * 1000 + 0.5 : `${c}-value`])) as unknown as EventRow;

  it('is the inverse of rowValues, in EVENT_COLUMNS order', () => {
    expect(rowFromValues(rowValues(row))).toEqual(row);
    expect(Object.keys(rowFromValues(rowValues(row)))).toEqual([...EVENT_COLUMNS]);
  });

  it('reads the values after a leading column (SELECT rowid, …)', () => {
    expect(rowFromValues([42, ...rowValues(row)], 1)).toEqual(row);
  });
});
