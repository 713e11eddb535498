/**
 * Reads a live database into the schema model in one round trip (see queries/introspect.sql).
 */
import type { ClientBase } from 'pg';
import { DEFAULT_SCHEMA, type SchemaModel } from '../model/schema';
import { bookkeepingLikePatterns } from './bookkeeping-tables';
import { catalogDocument, modelFromCatalogJson } from './catalog-json';
import { querySql } from './query-files';
import { runInScratchTransaction, setLocalStatement } from './scratch-transaction';

export interface IntrospectOptions {
  /** Only these schemas (default: every non-system schema). `public` is always listed in `schemas`. */
  readonly schemas?: readonly string[];
}

/** The input of queries/introspect.sql (see the comment at its top). */
export interface IntrospectInput {
  readonly tempOnly: boolean;
  readonly schemas: readonly string[] | null;
  readonly excludeTables: readonly string[];
  readonly onlyTables: string | null;
}

export const INTROSPECT_SETTING = 'pgshift.introspect';

/** The two statements that run the introspection query with `input`, for use in a scratch transaction. */
export function introspectStatements(client: ClientBase, input: IntrospectInput): string[] {
  return [setLocalStatement(client, INTROSPECT_SETTING, JSON.stringify(input)), querySql('introspect')];
}

export async function introspect(client: ClientBase, options: IntrospectOptions = {}): Promise<SchemaModel> {
  const input: IntrospectInput = {
    tempOnly: false,
    // `public` is always in scope (see SchemaModel.schemas).
    schemas: options.schemas ? [...new Set([DEFAULT_SCHEMA, ...options.schemas])] : null,
    excludeTables: bookkeepingLikePatterns(),
    onlyTables: null,
  };
  const results = await runInScratchTransaction(client, introspectStatements(client, input), { readOnly: true });
  return modelFromCatalogJson(catalogDocument(results[1]!.rows));
}
