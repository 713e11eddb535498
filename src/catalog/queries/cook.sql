-- Lets the server "cook" raw SQL expressions: creates temporary tables that mirror the model's tables and
-- gives them the model's defaults, CHECKs and indexes as the entity side wrote them. The caller then reads
-- them back with queries/introspect.sql (tempOnly) and rolls everything back.
--
-- Input: the transaction-local setting `pgshift.cook_input`, a JSON object built by cook-statements.ts:
--   enums:  [{ "type": "\"s\".\"e\"", "schema": "s", "createSchema": "CREATE SCHEMA …", "createType": "CREATE TYPE …" }]
--   tables: [{ "whole": [statements], "pieces": [statements] }]
--
-- Each BEGIN … EXCEPTION block is a subtransaction. The common case — every expression is valid — costs
-- one: everything is tried at once. Only when that fails is each table tried alone, and only a failing
-- table is applied piece by piece, so one bad expression (say, a function of a missing extension) leaves
-- just that expression raw. Few subtransactions matter on a busy primary: past 64 in one transaction,
-- every other session's snapshots get slower until it ends.
DO $cook$
DECLARE
  input jsonb := current_setting('pgshift.cook_input')::jsonb;
  e jsonb;
  t jsonb;
  s text;
BEGIN
  -- Enum types the database lacks are created for the duration, so that an expression on an enum column
  -- prints its cast exactly as the real type will print it. Without the privilege, such columns are left
  -- out and expressions that use them stay raw.
  FOR e IN SELECT value FROM jsonb_array_elements(input -> 'enums') LOOP
    CONTINUE WHEN to_regtype(e ->> 'type') IS NOT NULL;
    BEGIN
      IF NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = e ->> 'schema') THEN
        EXECUTE e ->> 'createSchema';
      END IF;
      EXECUTE e ->> 'createType';
    EXCEPTION WHEN others THEN
      NULL;
    END;
  END LOOP;

  BEGIN
    FOR t IN SELECT value FROM jsonb_array_elements(input -> 'tables') LOOP
      FOR s IN SELECT value FROM jsonb_array_elements_text(t -> 'whole') LOOP
        EXECUTE s;
      END LOOP;
    END LOOP;
  EXCEPTION WHEN others THEN
    FOR t IN SELECT value FROM jsonb_array_elements(input -> 'tables') LOOP
      BEGIN
        FOR s IN SELECT value FROM jsonb_array_elements_text(t -> 'whole') LOOP
          EXECUTE s;
        END LOOP;
      EXCEPTION WHEN others THEN
        FOR s IN SELECT value FROM jsonb_array_elements_text(t -> 'pieces') LOOP
          BEGIN
            EXECUTE s;
          EXCEPTION WHEN others THEN
            NULL;
          END;
        END LOOP;
      END;
    END LOOP;
  END;
END
$cook$
