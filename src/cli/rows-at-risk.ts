/**
 * Live mode: a refusal that could lose data says how many rows are at risk, by running the planner's
 * count query on the database (read-only, with a short statement timeout: a count must not become an
 * outage of its own).
 */
import { connect } from '../db/connect';
import type { DecisionRequest } from '../planner/decisions';

export async function withRowsAtRisk(databaseUrl: string, needs: readonly DecisionRequest[]): Promise<DecisionRequest[]> {
  if (!needs.some((n) => n.riskQuery)) return [...needs];
  const client = await connect(databaseUrl);
  try {
    await client.query("SET statement_timeout = '10s'");
    const out: DecisionRequest[] = [];
    for (const need of needs) {
      if (!need.riskQuery) {
        out.push(need);
        continue;
      }
      let counted: string;
      try {
        await client.query('BEGIN READ ONLY');
        const { rows } = await client.query<{ count: string }>(need.riskQuery);
        counted = `${Number(rows[0]?.count ?? 0).toLocaleString('en-US')} row(s) in the database now hold a value the new type would change`;
      } catch (error) {
        counted = `counting them failed, so some values cannot be converted at all: ${(error as Error).message}`;
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
      }
      out.push({ ...need, reason: `${need.reason} ${counted}.` });
    }
    return out;
  } finally {
    await client.end();
  }
}
