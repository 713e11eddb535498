/** The part of `check` that looks at the folder itself: clashes a merge of two branches leaves behind. */
import { describeFolderProblem, folderProblems } from '../../branch/folder-check';
import { out } from '../output';

/** Prints the problems and returns true when there are any (check then exits 2). */
export async function reportFolderProblems(dir: string, databaseUrl: string | undefined): Promise<boolean> {
  const problems = await folderProblems(dir, databaseUrl);
  if (problems.length === 0) return false;
  out(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the migrations folder:`);
  for (const problem of problems) out(`  ${describeFolderProblem(problem)}`);
  out(problems.some((p) => p.kind === 'duplicate-version')
    ? 'Two branches each added migrations: run `pgshift rebase` on the branch being merged to renumber and re-plan its files after the base branch.'
    : 'Renumber those files after the database\'s version (`pgshift rebase`), or apply them by hand and record them with `pgshift force`.');
  return true;
}
