/**
 * EntityMetadata → SchemaModel, fixture by fixture: the points each fixture exists for, asserted one by
 * one, plus the whole model as a reviewable JSON file snapshot (__snapshots__/<fixture>.model.json).
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEntityModel } from '../../src/entity-loader';
import type { Column, SchemaModel, Table } from '../../src/model/schema';

const ROOT = resolve(__dirname, '../..');

async function modelOf(fixture: string, config = 'ormconfig.ts'): Promise<SchemaModel> {
  const path = fixture === '.' ? config : `test/fixtures/${fixture}/${config}`;
  const { model } = await loadEntityModel(path, { cwd: ROOT });
  const snapshotName = fixture === '.' ? 'sample-app' : fixture;
  await expect(`${JSON.stringify(model, null, 2)}\n`).toMatchFileSnapshot(`./__snapshots__/${snapshotName}.model.json`);
  return model;
}

function table(model: SchemaModel, name: string, schema = 'public'): Table {
  const found = model.tables.find((t) => t.name === name && t.schema === schema);
  if (!found) throw new Error(`no table ${schema}.${name} in ${model.tables.map((t) => `${t.schema}.${t.name}`).join(', ')}`);
  return found;
}

function column(t: Table, name: string): Column {
  const found = t.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name} in ${t.name}: ${t.columns.map((c) => c.name).join(', ')}`);
  return found;
}

describe('mapping TypeORM metadata to the model', () => {
  it('matches the naming test vectors of typeorm-facts.md', async () => {
    const a = table(await modelOf('naming-vectors'), 'a');
    expect(a.primaryKey).toEqual({ name: 'PK_2202fa80e03dfdac2f685c43ee4', columns: ['id'] });
    expect(a.indexes.map((i) => i.name)).toEqual(['IDX_eb2980a5a244aad8cef818994e']);
  });

  it('maps the sample app', async () => {
    const model = await modelOf('.');
    expect(model.tables.map((t) => t.name)).toEqual(['asset_prices', 'assets', 'exchange_rates', 'users']);
    const users = table(model, 'users');
    expect(column(users, 'id')).toMatchObject({ dataType: 'bigint', serial: true, default: null, nullable: false });
    expect(column(users, 'email')).toMatchObject({ dataType: 'character varying(255)', nullable: false });
    expect(users.uniques.map((u) => u.columns)).toEqual([['email']]);
    expect(column(users, 'created_at')).toMatchObject({ dataType: 'timestamp with time zone', default: 'now()' });
    expect(column(users, 'deleted_at')).toMatchObject({ nullable: true, default: null });
    expect(users.indexes.map((i) => i.keys.map((k) => k.column))).toEqual([['deleted_at']]);
    const assets = table(model, 'assets');
    expect(assets.foreignKeys).toEqual([expect.objectContaining({
      columns: ['user_id'], referencedTable: { schema: 'public', name: 'users' }, referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION',
    })]);
    expect(column(assets, 'currency')).toMatchObject({ dataType: 'character varying(3)', default: "'USD'" });
    expect(column(assets, 'quantity').dataType).toBe('numeric(18,8)');
    expect(column(assets, 'price').dataType).toBe('numeric(18,2)');
    expect(table(model, 'asset_prices').indexes[0]!.keys.map((k) => k.column)).toEqual(['asset_id', 'recorded_at']);
    const rates = table(model, 'exchange_rates');
    expect(rates.uniques[0]!.columns).toEqual(['base_currency', 'quote_currency', 'as_of']);
    expect(rates.checks).toEqual([{ name: expect.stringMatching(/^CHK_[0-9a-f]{26}$/), expression: '"rate" > 0' }]);
    expect(column(rates, 'rate').dataType).toBe('numeric(20,10)');
    expect(column(rates, 'as_of').dataType).toBe('date');
  });

  it('maps basic columns and views (as views, not tables), skips synchronize:false entities', async () => {
    const model = await modelOf('basic');
    expect(model.tables.map((t) => t.name)).toEqual(['article', 'kitchen_sink']);
    expect(model.views?.map((v) => [v.name, v.materialized, v.definition])).toEqual([['article_stats', false, 'SELECT count(*) AS total FROM article']]);
    const article = table(model, 'article');
    expect(article.comment).toBe("Articles, with 'quotes' in the comment");
    expect(column(article, 'title')).toMatchObject({ dataType: 'character varying', nullable: false });
    expect(column(article, 'views').dataType).toBe('integer');
    expect(column(article, 'published').dataType).toBe('boolean');
    expect(column(article, 'publishedAt')).toMatchObject({ dataType: 'timestamp without time zone', nullable: true });
    expect(column(article, 'slug')).toMatchObject({ dataType: 'character varying(120)', comment: 'URL path segment' });
    expect(column(article, 'createdAt')).toMatchObject({ dataType: 'timestamp without time zone', default: 'now()' });
    expect(column(article, 'deletedAt')).toMatchObject({ nullable: true, default: null });
    expect(column(article, 'version')).toMatchObject({ dataType: 'integer', nullable: false });
    const types = Object.fromEntries(table(model, 'kitchen_sink').columns.map((c) => [c.name, c.dataType + (c.isArray ? '[]' : '')]));
    expect(types).toMatchObject({
      c3: 'character(3)', c1: 'character(1)', unbounded: 'character varying', anyNumeric: 'numeric', decimal10: 'numeric(10,0)',
      int4: 'integer', small: 'smallint', big: 'bigint', dbl: 'double precision', flt: 'real', flag: 'boolean', blob: 'bytea',
      clock: 'time without time zone', clockTz: 'time with time zone', clock3: 'time(3) without time zone',
      ts: 'timestamp without time zone', ts3: 'timestamp(3) without time zone', tstz0: 'timestamp(0) with time zone',
      span2: 'interval(2)', b1: 'bit(1)', b8: 'bit(8)', vb: 'bit varying(16)', tags: 'text', meta: 'text',
      ints: 'integer[]', labels: 'character varying(20)[]', stamps: 'timestamp(3) with time zone[]',
    });
    expect(model.extensions).toEqual(['citext', 'hstore']);
  });

  it('maps relations to foreign keys with TypeORM default actions and REL_ uniques', async () => {
    const model = await modelOf('relations');
    expect(model.tables.map((t) => t.name)).toEqual(['author', 'category', 'editions', 'posts', 'posts_categories_category', 'profile']);
    const author = table(model, 'author');
    expect(column(author, 'id')).toMatchObject({ dataType: 'uuid', default: 'uuid_generate_v4()' });
    expect(author.uniques).toEqual([{ name: expect.stringMatching(/^REL_[0-9a-f]{26}$/), columns: ['profileId'], deferrable: 'not deferrable' }]);
    const byColumns = (t: Table) => Object.fromEntries(t.foreignKeys.map((f) => [f.columns.join(','), f]));
    expect(byColumns(author)).toMatchObject({
      profileId: { onDelete: 'SET NULL', onUpdate: 'NO ACTION', referencedTable: { name: 'profile' } },
      mentorId: { onDelete: 'NO ACTION', onUpdate: 'CASCADE', referencedTable: { name: 'author' } },
    });
    const posts = table(model, 'posts');
    expect(column(posts, 'authorId')).toMatchObject({ dataType: 'uuid', nullable: true, default: null });
    expect(byColumns(posts)).toMatchObject({
      authorId: { onDelete: 'NO ACTION', onUpdate: 'NO ACTION', deferrable: 'not deferrable' },
      editor_id: { name: 'fk_posts_editor', onDelete: 'RESTRICT', deferrable: 'initially deferred' },
      'edition_year,edition_number': { referencedTable: { name: 'editions' }, referencedColumns: ['year', 'number'] },
    });
    expect(posts.foreignKeys.some((f) => f.columns.includes('featured_category_id'))).toBe(false);
    expect(column(posts, 'edition_year').dataType).toBe('smallint');
    expect(column(posts, 'featured_category_id').dataType).toBe('character varying(32)');
    const junction = table(model, 'posts_categories_category');
    expect(junction.primaryKey!.columns).toEqual(['postsId', 'categorySlug']);
    expect(junction.foreignKeys.map((f) => [f.referencedTable.name, f.onDelete, f.onUpdate])).toEqual(
      expect.arrayContaining([['posts', 'CASCADE', 'CASCADE'], ['category', 'CASCADE', 'CASCADE']]),
    );
    expect(model.extensions).toEqual(['uuid-ossp']);
  });

  it('maps enums: names, shared types, label order, arrays, simple-enum, defaults', async () => {
    const model = await modelOf('enums');
    expect(model.enums.map((e) => [e.name, e.values])).toEqual([
      ['order_status', ['pending', 'active', 'closed']],
      ['orders_colors_enum', ['red', 'green', 'blue']],
      ['orders_kind_enum', ['zeta', 'alpha', "o'brien"]],
      ['orders_priority_enum', ['1', '2']],
      ['orders_shipmode_enum', ['air', 'sea']],
      ['orders_size_enum', ['s', 'm', 'l']],
    ]);
    const orders = table(model, 'orders');
    expect(column(orders, 'status')).toMatchObject({ dataType: '', enumType: { schema: 'public', name: 'order_status' }, default: "'pending'" });
    expect(column(orders, 'colors')).toMatchObject({ enumType: { name: 'orders_colors_enum' }, isArray: true, default: "'{}'" });
    expect(column(orders, 'size')).toMatchObject({ enumType: { name: 'orders_size_enum' }, default: "'m'" });
    expect(column(table(model, 'shipments'), 'status').enumType).toEqual({ schema: 'public', name: 'order_status' });
  });

  it('maps indexes, uniques and checks', async () => {
    const products = table(await modelOf('indexes-checks'), 'products');
    const byName = Object.fromEntries(products.indexes.map((i) => [i.name, i]));
    expect(byName.idx_products_live_sku).toEqual({
      name: 'idx_products_live_sku', unique: true, method: 'btree', where: '"deleted_at" IS NULL',
      keys: [{ column: 'sku', expression: null, descending: false, nullsNotDefault: false }],
    });
    expect(byName.idx_products_attrs_gin!.method).toBe('gin');
    expect(products.indexes.find((i) => i.keys.length === 2)!.keys.map((k) => k.column)).toEqual(['sku', 'name']);
    expect(products.indexes.find((i) => i.keys[0]!.column === 'location')!.method).toBe('gist');
    expect(products.indexes.find((i) => i.keys[0]!.column === 'legacyId')!.unique).toBe(true);
    expect(products.uniques).toEqual(expect.arrayContaining([
      { name: 'uq_products_ean', columns: ['ean'], deferrable: 'initially immediate' },
      { name: expect.stringMatching(/^UQ_/), columns: ['name', 'brand'], deferrable: 'not deferrable' },
    ]));
    expect(products.checks.map((c) => c.expression).sort()).toEqual(['"name" <> \'\'', '"price" >= 0']);
  });

  it('maps schemas (entity and DataSource-wide) and the entity prefix', async () => {
    const model = await modelOf('schemas-prefix');
    expect(model.schemas).toEqual(['app', 'audit', 'public']);
    const accounts = table(model, 'pfx_accounts', 'app');
    expect(column(accounts, 'plan').enumType).toEqual({ schema: 'app', name: 'pfx_accounts_plan_enum' });
    expect(model.enums.map((e) => `${e.schema}.${e.name}`)).toEqual(['app.pfx_accounts_plan_enum']);
    const events = table(model, 'pfx_audit_events', 'audit');
    expect(events.foreignKeys[0]!.referencedTable).toEqual({ schema: 'app', name: 'pfx_accounts' });
    expect(column(events, 'id')).toMatchObject({ dataType: 'bigint', identity: 'by default', serial: false, default: null });
  });

  it('maps generated keys: serial, identity, uuid', async () => {
    const model = await modelOf('generated-keys');
    const id = (name: string) => column(table(model, name), 'id');
    expect(id('serial_int')).toMatchObject({ dataType: 'integer', serial: true, identity: null, default: null });
    expect(id('serial_big')).toMatchObject({ dataType: 'bigint', serial: true });
    expect(id('serial_small')).toMatchObject({ dataType: 'smallint', serial: true });
    expect(id('identity_always')).toMatchObject({ dataType: 'integer', identity: 'always', serial: false });
    expect(id('identity_by_default')).toMatchObject({ dataType: 'bigint', identity: 'by default' });
    expect(column(table(model, 'identity_by_default'), 'ticket')).toMatchObject({ dataType: 'integer', serial: true });
    expect(id('uuid_key')).toMatchObject({ dataType: 'uuid', default: 'uuid_generate_v4()' });
    expect(column(table(model, 'uuid_key'), 'token')).toMatchObject({ dataType: 'uuid', default: 'uuid_generate_v4()' });
    expect(model.extensions).toEqual(['uuid-ossp']);

    const pgcrypto = await modelOf('generated-keys-pgcrypto');
    expect(column(table(pgcrypto, 'uuid_key'), 'id').default).toBe('gen_random_uuid()');
    expect(pgcrypto.extensions).toEqual(['pgcrypto']);
  });

  it('keeps defaults raw, as TypeORM writes them', async () => {
    const settings = table(await modelOf('defaults'), 'settings');
    const defaults = Object.fromEntries(settings.columns.map((c) => [c.name, c.default]));
    expect(defaults).toMatchObject({
      zero: "'0'", minusOne: "'-1'", minusOneAndHalf: "'-1.5'", enabled: 'true', hidden: 'false', currency: "'USD'",
      empty: "''", path: "'C:/temp'", emptyObject: "'{}'", object: `'{"a":1,"note":"x''y"}'`, emptyJsonArray: "'[]'",
      tags: "'{}'", numbers: "'{1,2}'", rawTags: "'{}'", createdAt: 'now()', createdUtc: "(now() at time zone 'utc')",
      today: "('now'::text)::date", precise: "('now'::text)::timestamp(3) with time zone", ref: 'gen_random_uuid()',
      answer: '42', ttl: "'1 day'",
    });
  });

  it('quotes string, enum, array and json defaults as values; only function defaults are SQL', async () => {
    const notes = table(await modelOf('quoted-defaults'), 'notes');
    const defaults = Object.fromEntries(notes.columns.map((c) => [c.name, c.default]));
    expect(defaults).toMatchObject({
      apostrophe: "'it''s'", injection: "'''; DROP TABLE exchange_rates; --'", doubled: "'it''''s'",
      backslashes: "'C:\\new\\table'", newline: "'two\nlines */ /*'", mood: "'it''s fine'", label: "'a''b'",
      tags: `'{it''s,"a,b","say \\"hi\\"","back\\\\slash","{braces}","NULL",""}'`,
      meta: `'{"note":"x''y","path":"a\\\\b"}'`,
    });
  });

  it('cuts names at 63 bytes like Postgres, on a character boundary', async () => {
    const model = await modelOf('long-names');
    const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
    const child = model.tables.find((t) => t.name.startsWith('child_table'))!;
    expect(bytes(child.name)).toBeLessThanOrEqual(63);
    expect(child.name).toBe('child_table_named_with_multibyte_characters_ééééééééé');
    const parent = table(model, 'parent_table_with_a_long_but_legal_name');
    expect(parent.columns.map((c) => c.name)).toContain('a_column_whose_name_is_also_far_longer_than_what_postgres_keeps');
    expect(model.enums[0]!.name).toBe('parent_table_with_a_long_but_legal_name_kind_of_thing_with_a_lo');
    expect(column(parent, 'kind_of_thing_with_a_long_enough_name').enumType!.name).toBe(model.enums[0]!.name);
    expect(child.indexes[0]!.name).toBe('an_explicit_index_name_that_runs_past_the_sixty_three_byte_iden');
    expect(child.foreignKeys[0]!.columns).toEqual(['parent_reference_column_with_a_name_that_is_too_long_for_postgr']);
    for (const t of model.tables) for (const c of t.columns) expect(bytes(c.name)).toBeLessThanOrEqual(63);
  });

  it('maps inheritance, embedded columns and trees like TypeORM', async () => {
    const model = await modelOf('inheritance-embedded');
    expect(model.tables.map((t) => t.name)).toEqual(['contents', 'customers', 'folders', 'folders_closure', 'tree_categories']);
    const contents = table(model, 'contents');
    expect(contents.columns.map((c) => c.name)).toEqual(['id', 'createdAt', 'title', 'width', 'duration', 'type']);
    expect(contents.indexes.map((i) => i.keys.map((k) => k.column))).toEqual([['type']]);
    const customers = table(model, 'customers');
    expect(customers.columns.map((c) => c.name)).toEqual(['id', 'createdAt', 'name', 'billingStreet', 'billingCountry', 'ship_Street', 'ship_Country']);
    expect(customers.indexes.map((i) => i.keys[0]!.column).sort()).toEqual(['billingCountry', 'ship_Country']);
    expect(table(model, 'folders_closure').primaryKey!.columns).toEqual(['id_ancestor', 'id_descendant']);
    expect(column(table(model, 'tree_categories'), 'mpath')).toMatchObject({ dataType: 'character varying', nullable: true });
  });

  it('uses a custom naming strategy for tables, columns and constraint names', async () => {
    const model = await modelOf('naming-strategy');
    const users = table(model, 'blog_users');
    expect(users.primaryKey!.name).toBe('blog_users_pkey');
    expect(users.uniques.map((u) => u.name)).toEqual(['uq_blog_users_email_address']);
    const posts = table(model, 'blog_posts');
    expect(posts.columns.map((c) => c.name)).toEqual(['id', 'published_at', 'written_by_id']);
    expect(posts.foreignKeys.map((f) => f.name)).toEqual(['fk_blog_posts_written_by_id']);
    expect(posts.indexes.map((i) => i.name)).toEqual(['idx_blog_posts_published_at']);
  });
});
