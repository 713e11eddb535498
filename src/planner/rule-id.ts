/** The planner's rules, by id: a closed list (each has src/planner/rules/<id>.ts, <id>.md and tests). */
export const RULE_IDS = [
  'add-check-not-valid',
  'add-column-volatile-default',
  'add-foreign-key-not-valid',
  'add-primary-key-using-index',
  'add-required-column',
  'add-unique-using-index',
  'alter-column-type',
  'change-default',
  'create-index-concurrently',
  'create-view',
  'destructive-guard',
  'direct',
  'drop-index-concurrently',
  'drop-view',
  'enum-add-value',
  'exclusion-constraint',
  'generated-column-rewrite',
  'rename-column',
  'rename-table',
  'replace-definition',
  'set-not-null-via-check',
] as const;

export type RuleId = (typeof RULE_IDS)[number];
