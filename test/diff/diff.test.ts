import { describe, expect, it } from 'vitest';
import { diffModels } from '../../src/diff/diff';
import { invertChange } from '../../src/diff/change';
import { col, idColumn, index, model, table, withPk } from '../helpers/model';

const users = withPk(table('users', [idColumn(), col('email', 'character varying(255)', { nullable: false })]));

describe('diffModels', () => {
  it('finds nothing between equal models', () => {
    expect(diffModels(model([users]), model([users])).changes).toEqual([]);
  });

  it('creates new tables and adds their foreign keys after every table exists', () => {
    const assets = withPk(table('assets', [idColumn(), col('user_id', 'integer', { nullable: false })], {
      foreignKeys: [{ name: 'FK_a', columns: ['user_id'], referencedTable: { schema: 'public', name: 'users' }, referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION', deferrable: 'not deferrable' }],
    }));
    const { changes } = diffModels(model([]), model([assets, users]));
    expect(changes.map((c) => c.kind)).toEqual(['CreateTable', 'CreateTable', 'AddForeignKey']);
    const created = changes[0]!;
    expect(created.kind === 'CreateTable' && created.definition.foreignKeys).toEqual([]);
  });

  it('reports tables no entity mentions as unmanaged instead of dropping them', () => {
    const legacy = table('legacy', [col('x', 'text')]);
    const result = diffModels(model([users, legacy]), model([users]));
    expect(result.changes).toEqual([]);
    expect(result.unmanaged).toEqual([{ kind: 'table', name: { schema: 'public', name: 'legacy' } }]);
    expect(diffModels(model([users, legacy]), model([users]), { dropUnmanaged: true }).changes.map((c) => c.kind)).toEqual(['DropTable']);
  });

  it('detects column additions, drops, type, nullability, default and comment changes', () => {
    const after = withPk(table('users', [
      idColumn(),
      col('email', 'character varying(320)', { nullable: false }),
      col('nickname', 'text'),
    ]));
    const before = withPk(table('users', [...users.columns, col('legacy', 'text', { default: "'x'::text", comment: 'old' })]));
    const kinds = diffModels(model([before]), model([after])).changes.map((c) => c.kind);
    expect(kinds).toEqual(['DropColumn', 'AddColumn', 'AlterColumnType']);
  });

  it('accepts legacy constraint names when the structure matches', () => {
    const db = { ...users, uniques: [{ name: 'users_email_key', columns: ['email'], deferrable: 'not deferrable' as const }], indexes: [index('users_email_idx', ['email'])] };
    const entity = { ...users, uniques: [{ name: 'UQ_abc', columns: ['email'], deferrable: 'not deferrable' as const }], indexes: [index('IDX_abc', ['email'])] };
    expect(diffModels(model([db]), model([entity])).changes).toEqual([]);
  });

  it('re-creates an index whose predicate or column order changed (TypeORM matches by name only)', () => {
    const db = { ...users, indexes: [index('IDX_1', ['email', 'id'])] };
    const entity = { ...users, indexes: [index('IDX_1', ['id', 'email'])] };
    expect(diffModels(model([db]), model([entity])).changes.map((c) => c.kind)).toEqual(['DropIndex', 'CreateIndex']);
  });

  it('adds enum labels in place, with their neighbour', () => {
    const from = model([], { enums: [{ schema: 'public', name: 'status', values: ['a', 'c'] }] });
    const to = model([], { enums: [{ schema: 'public', name: 'status', values: ['a', 'b', 'c', 'd'] }] });
    const changes = diffModels(from, to).changes;
    expect(changes.map((c) => (c.kind === 'AddEnumValue' ? [c.value, c.before, c.after] : c.kind))).toEqual([['b', 'c', null], ['d', null, 'c']]);
  });

  it('rebuilds an enum whose labels were removed or reordered', () => {
    const from = model([], { enums: [{ schema: 'public', name: 'status', values: ['a', 'b'] }] });
    const to = model([], { enums: [{ schema: 'public', name: 'status', values: ['b', 'a'] }] });
    expect(diffModels(from, to).changes.map((c) => c.kind)).toEqual(['RebuildEnum']);
  });

  describe('column renames (expand/contract: the old column stays until its contract)', () => {
    const USERS = { schema: 'public', name: 'users' };
    const renames = { columnRenames: [{ table: USERS, from: 'email', to: 'mail' }] };
    const fk = (name: string, column: string, to: string) => ({ name, columns: [column], referencedTable: { schema: 'public', name: to }, referencedColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION', deferrable: 'not deferrable' }) as const;

    it('is one RenameColumn carrying the column as the entity wants it, not a drop and an add', () => {
      const mail = col('mail', 'text', { nullable: false });
      const changes = diffModels(model([users]), model([withPk(table('users', [idColumn(), mail]))]), renames).changes;
      expect(changes).toEqual([{ kind: 'RenameColumn', table: USERS, from: users.columns[1], to: mail, retires: [] }]);
    });

    it('retires the objects on the old name; the entity\'s objects on the new name are their own changes', () => {
      const before = withPk(table('users', [idColumn(), col('email', 'text')], { indexes: [index('users_email_idx', ['email'])] }));
      const after = withPk(table('users', [idColumn(), col('mail', 'text')], { indexes: [index('users_mail_idx', ['mail'])] }));
      const changes = diffModels(model([before]), model([after]), renames).changes;
      expect(changes.map((c) => c.kind)).toEqual(['RenameColumn', 'CreateIndex']);
      expect(changes[0]).toMatchObject({ retires: [{ kind: 'index', index: { name: 'users_email_idx' }, renamedColumns: ['email'] }] });
    });

    it('leaves a Drop in the plan for an object that also involves a column dropped outright', () => {
      const before = withPk(table('users', [idColumn(), col('email', 'text'), col('old', 'text')], { indexes: [index('users_email_old_idx', ['email', 'old'])] }));
      const after = withPk(table('users', [idColumn(), col('mail', 'text')]));
      const changes = diffModels(model([before]), model([after]), renames).changes;
      expect(changes.map((c) => c.kind)).toEqual(['DropIndex', 'DropColumn', 'RenameColumn']);
      expect(changes[2]).toMatchObject({ retires: [] });
    });

    it('drops, in the plan, a renamed column\'s foreign key to a table the plan drops (DROP TABLE needs it gone)', () => {
      const teams = withPk(table('teams', [idColumn()]));
      const before = withPk(table('users', [idColumn(), col('email', 'integer')], { foreignKeys: [fk('users_email_fkey', 'email', 'teams')] }));
      const after = withPk(table('users', [idColumn(), col('mail', 'integer')]));
      const kinds = (dropUnmanaged: boolean) => diffModels(model([teams, before]), model([after]), { ...renames, dropUnmanaged }).changes.map((c) => c.kind);
      expect(kinds(true)).toEqual(['DropForeignKey', 'DropTable', 'RenameColumn']);
      // Not dropped (unmanaged): the rename's contract drops the key with the column.
      expect(kinds(false)).toEqual(['RenameColumn']);
    });
  });

  it('creates schemas before the tables in them', () => {
    const t = { ...table('t', [col('a', 'text')]), schema: 'app' };
    const changes = diffModels(model([]), model([t], { schemas: ['app', 'public'] })).changes;
    expect(changes.map((c) => c.kind)).toEqual(['CreateSchema', 'CreateTable']);
  });

  it('inverts every change back to its start', () => {
    const after = withPk(table('users', [idColumn(), col('email', 'text', { nullable: true, default: "''::text" })]));
    for (const change of diffModels(model([users]), model([after])).changes) {
      expect(invertChange(invertChange(change))).toEqual(change);
    }
  });
});
