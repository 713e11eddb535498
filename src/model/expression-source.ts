/** The text entity-given SQL is written with: the entity's own spelling when known, else the cooked form. */
import type { View } from './schema';

/** An exclusion's or a generation expression's text. */
export function sourceOf(item: { readonly expression: string; readonly given?: string }): string {
  return item.given ?? item.expression;
}

/** The query a view is created with. */
export function viewSource(view: View): string {
  return view.given ?? view.definition;
}
