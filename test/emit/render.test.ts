import { describe, expect, it } from 'vitest';
import { planFiles } from '../../src/emit/plan-files';
import { NO_DECISIONS } from '../../src/planner/decisions';
import { plannedForMajor } from '../../src/runner/planned-for';
import { col, idColumn, index, model, table, withPk } from '../helpers/model';
import { planState } from '../helpers/plan';

const users = withPk(table('users', [idColumn(), col('email', 'character varying(255)', { nullable: false })], { indexes: [index('IDX_users_email', ['email'])] }));

function render(from = model([]), to = model([users]), latest: number | null = null) {
  const { plan } = planState(from, to, { targetMajor: 18 });
  return planFiles(plan.steps, { dir: 'migrations', latestVersion: latest, timeouts: NO_DECISIONS.timeouts, rowEstimates: new Map([['public.users', 1234]]), toolVersion: '0.0.0-test', targetMajor: 18 });
}

describe('rendered migration files', () => {
  it('numbers files after the folder\'s newest version, six digits', () => {
    const files = render(model([]), model([users]), 41);
    expect(files.map((f) => f.base)).toEqual(['000042_create_users']);
  });

  it('renders a create-table pair with a reviewer header', async () => {
    const [file] = render();
    await expect(file!.up.content).toMatchFileSnapshot('__snapshots__/create_users.up.sql');
    await expect(file!.down.content).toMatchFileSnapshot('__snapshots__/create_users.down.sql');
  });

  it('names the plan\'s target major in every header, which pgshift up reads back', () => {
    for (const f of render()) {
      for (const text of [f.up.content, f.down.content]) {
        expect(text.split('\n')[1]).toBe('-- planned for PostgreSQL 18+');
        expect(plannedForMajor(text)).toBe(18);
      }
    }
  });

  it('sets lock_timeout and statement_timeout in every transactional file', () => {
    for (const f of render()) {
      expect(f.up.content).toMatch(/^SET LOCAL lock_timeout = '2s';$/m);
      expect(f.up.content).toMatch(/^SET LOCAL statement_timeout = '60s';$/m);
      expect(f.down.content).toMatch(/^SET LOCAL lock_timeout/m);
    }
  });
});

describe('hostile names in headers', () => {
  it('a line feed or carriage return in a name never ends a header comment', () => {
    const evil = withPk(table('t\nDROP TABLE victims; --', [idColumn(), col('c\rDROP TABLE victims;', 'text', { nullable: true, comment: 'x\r\nDROP TABLE victims;' })]));
    for (const f of render(model([]), model([evil]))) {
      for (const content of [f.up.content, f.down.content]) {
        const header = content.slice(0, content.indexOf('\n\n') === -1 ? content.length : content.search(/\n\nSET LOCAL|\n\n[A-Z]/));
        // Every line of the header is a comment, split at \n and at \r alike (PostgreSQL ends `--` at either).
        for (const line of header.split(/\r\n|\r|\n/)) expect(line, content).toMatch(/^--( |$)/);
      }
    }
  });
});
