/**
 * formatType: TypeORM's type parts → format_type() spelling. The TypeORM-compat test checks these
 * against a real server; this pins the rules, including the ones no fixture exercises.
 */
import { describe, expect, it } from 'vitest';
import { formatType } from '../../src/entity-loader/format-type';

describe('formatType', () => {
  it.each([
    [{ type: 'integer' }, 'integer'],
    [{ type: 'int8' }, 'bigint'],
    [{ type: 'character varying', length: '' }, 'character varying'],
    [{ type: 'character varying', length: '255' }, 'character varying(255)'],
    [{ type: 'varchar', length: 10 }, 'character varying(10)'],
    [{ type: 'character', length: '' }, 'character(1)'],
    [{ type: 'character', length: '3' }, 'character(3)'],
    [{ type: 'bit' }, 'bit(1)'],
    [{ type: 'bit varying' }, 'bit varying'],
    [{ type: 'numeric' }, 'numeric'],
    [{ type: 'numeric', precision: 10 }, 'numeric(10,0)'],
    [{ type: 'numeric', precision: 18, scale: 8 }, 'numeric(18,8)'],
    [{ type: 'numeric', scale: 2 }, 'numeric'],
    [{ type: 'numeric', length: '12' }, 'numeric(12,0)'],
    [{ type: 'timestamp without time zone' }, 'timestamp without time zone'],
    [{ type: 'timestamp with time zone', precision: 3 }, 'timestamp(3) with time zone'],
    [{ type: 'timestamp with time zone', precision: 0 }, 'timestamp(0) with time zone'],
    [{ type: 'timestamp with time zone', length: '6' }, 'timestamp with time zone'],
    [{ type: 'time with time zone', precision: 2 }, 'time(2) with time zone'],
    [{ type: 'interval', precision: 3 }, 'interval(3)'],
    [{ type: 'geometry', spatialFeatureType: 'Point', srid: 4326 }, 'geometry(Point,4326)'],
    [{ type: 'geography' }, 'geography'],
    [{ type: 'vector', length: '3' }, 'vector(3)'],
    [{ type: 'jsonb' }, 'jsonb'],
  ])('%j → %s', (parts, expected) => {
    expect(formatType(parts)).toBe(expected);
  });
});
