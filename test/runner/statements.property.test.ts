/** Property: however `;` hides in literals, identifiers, dollar quotes and comments, the count of statements holds. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../src/runner/statements';

const text = fc.string({ unit: fc.constantFrom('a', ';', ' ', '\n', '$', '*', '/', '-', "'", '"', '\\'), maxLength: 12 });

const fragment = fc.oneof(
  fc.constantFrom('SELECT', 'x', '1', '+', '(', ')', 'a$b$c', '$1', '::text', 'E'),
  text.map((t) => `'${t.replace(/'/g, "''")}'`),
  text.map((t) => `E'${t.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`),
  text.map((t) => `"${t.replace(/"/g, '""') || 'q'}"`),
  text.filter((t) => !t.includes('$q$')).map((t) => `$q$${t}$q$`),
  text.filter((t) => !t.includes('$$')).map((t) => `$$${t}$$`),
  text.map((t) => `-- ${t.replace(/\n/g, ' ')}\n`),
  text.map((t) => `/* ${t.replace(/[*/]/g, '')} /* nested; */ */`),
);

const statement = fc.tuple(fc.constantFrom('SELECT', 'UPDATE', 'CREATE'), fc.array(fragment, { maxLength: 6 })).map(([head, rest]) => [head, ...rest].join(' '));

describe('splitStatements (property)', () => {
  it('counts the statements it was given', () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 5 }), fc.boolean(), (statements, trailing) => {
        const sql = statements.join(';\n') + (trailing ? ';' : '\n');
        expect(splitStatements(sql)).toHaveLength(statements.length);
      }),
      { numRuns: 500 },
    );
  });
});
