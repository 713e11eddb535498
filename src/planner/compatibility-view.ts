/**
 * rename-table keeps a view under the old name until its contract drops it (rules/rename-table.ts). The
 * contract's id names that view, so the diff can tell pgshift's own bookkeeping from a view no entity
 * describes: listing it as unmanaged after the expand would be noise, and dropping it with
 * --drop-unmanaged would break the old clients the contract is waiting for.
 */
import type { QualifiedName } from '../model/schema';

const PREFIX = 'rename-table:';

/** The id of the contract that drops the compatibility view `oldName`. */
export function renameTableContractId(oldName: QualifiedName): string {
  return `${PREFIX}${oldName.schema}.${oldName.name}`;
}

/** The compatibility views that pending contracts (given by id) still keep. */
export function compatibilityViews(contractIds: readonly string[]): QualifiedName[] {
  return contractIds.flatMap((id) => {
    if (!id.startsWith(PREFIX)) return [];
    const name = id.slice(PREFIX.length);
    const dot = name.indexOf('.');
    return dot > 0 ? [{ schema: name.slice(0, dot), name: name.slice(dot + 1) }] : [];
  });
}
