/**
 * src/sql/quote.ts on a real server: every literal, array text, dollar-quoted constant and identifier
 * reads back as exactly the text it was made from, over strings full of quotes, backslashes, dollars,
 * comment markers, line breaks and unicode.
 */
import fc from 'fast-check';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayText, dollarQuoted, dollarTag, ident, literal } from '../../src/sql/quote';
import { adminUrl } from '../helpers/db';
import { propertyParameters } from '../property/parameters';

const PIECES = ["'", "''", '"', '\\', '\u0001', '$', '$$', '$q$', '$q', 'q$', '--', '/*', '*/', '\n', '\r', '\t', ';', ' ', ',', '{', '}', 'NULL', 'a', 'Z', 'é', '✓', '😀', ')', '('];
const hostile = fc.string({ unit: fc.constantFrom(...PIECES), maxLength: 12 });

let client: Client;
beforeAll(async () => {
  client = new Client({ connectionString: adminUrl() });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
});

describe('quoting reads back exactly', () => {
  it('literal, arrayText, dollarQuoted and ident', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, fc.array(hostile, { maxLength: 4 }), async (text, elements) => {
        const { rows } = await client.query(
          `SELECT ${literal(text)} AS l, ${dollarQuoted(text)} AS d, ${literal(arrayText(elements))}::text[] AS a, 1 AS ${ident(text || 'x')}`,
        );
        expect(rows[0].l).toBe(text);
        expect(rows[0].d).toBe(text);
        expect(rows[0].a).toEqual(elements);
        expect(Object.keys(rows[0])[3]).toBe(text || 'x');
      }),
      propertyParameters(200),
    );
  });

  it('dollarTag avoids a body that holds the tag or ends with its start', () => {
    expect(dollarTag('q', 'plain')).toBe('$q$');
    expect(dollarTag('q', 'has $q$ inside')).toBe('$q_2$');
    expect(dollarTag('q', 'ends with $q')).toBe('$q_2$');
    expect(dollarTag('q', 'ends with $')).toBe('$q$');
  });
});
