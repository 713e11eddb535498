-- Lets the server "cook" raw SQL expressions: creates temporary tables that mirror the model's tables and
-- gives them the model's defaults, CHECKs and indexes as the entity side wrote them. The caller then reads
-- them back with queries/introspect.sql (tempOnly) and rolls everything back.
--
-- Input: the transaction-local setting `pgshift.cook_input`, a JSON object built by cook-statements.ts:
--   enums:  [{ "type": "\"s\".\"e\"", "schema": "s", "createSchema": "CREATE SCHEMA …", "createType": "CREATE TYPE …" }]
--   tables: [{ "whole": [statements], "pieces": [statements] }]
--
-- Each BEGIN … EXCEPTION block is a subtransaction, and few of them matter on a busy primary: past 64 in
-- one transaction, every other session's snapshots get slower until it ends. So the tables are tried all
-- at once (the common case, every expression valid: one subtransaction), and a failing range of tables is
-- halved until the failing tables are found; only those are then applied piece by piece, so that one bad
-- expression (say, a function of a missing extension) leaves just that expression raw.
DO $cook$
DECLARE
  input jsonb := current_setting('pgshift.cook_input')::jsonb;
  e jsonb;
  s text;
  lows int[];
  highs int[];
  lo int;
  hi int;
  mid int;
  i int;
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

  -- A stack of table ranges [lows[k], highs[k]] still to apply.
  lows := ARRAY[0];
  highs := ARRAY[jsonb_array_length(input -> 'tables') - 1];
  WHILE cardinality(lows) > 0 LOOP
    lo := lows[cardinality(lows)];
    hi := highs[cardinality(highs)];
    lows := lows[1:cardinality(lows) - 1];
    highs := highs[1:cardinality(highs) - 1];
    CONTINUE WHEN lo > hi;
    BEGIN
      FOR i IN lo..hi LOOP
        FOR s IN SELECT value FROM jsonb_array_elements_text(input -> 'tables' -> i -> 'whole') LOOP
          EXECUTE s;
        END LOOP;
      END LOOP;
    EXCEPTION WHEN others THEN
      IF lo < hi THEN
        mid := (lo + hi) / 2;
        lows := lows || ARRAY[lo, mid + 1];
        highs := highs || ARRAY[mid, hi];
      ELSE
        FOR s IN SELECT value FROM jsonb_array_elements_text(input -> 'tables' -> lo -> 'pieces') LOOP
          BEGIN
            EXECUTE s;
          EXCEPTION WHEN others THEN
            NULL;
          END;
        END LOOP;
      END IF;
    END;
  END LOOP;
END
$cook$
