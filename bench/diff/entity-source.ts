/**
 * Source text of the diff benchmark's entity number `i` (1-based): eight plain columns of the usual kinds,
 * a creation timestamp, a property index and a two-column index, a unique email on every third table, and
 * foreign keys to earlier tables (a chain, plus a second one on every fourth table) so the catalog holds
 * FKs between tables. Only earlier tables are referenced, so imports never form a cycle.
 */

export interface EntityShape {
  /** Length of `name`; the benchmark's one change widens it in one entity. */
  readonly nameLength: number;
}

export const DEFAULT_SHAPE: EntityShape = { nameLength: 120 };
export const CHANGED_SHAPE: EntityShape = { nameLength: 160 };

const pad = (i: number) => String(i).padStart(4, '0');
export const className = (i: number) => `Entity${pad(i)}`;
export const fileName = (i: number) => `entity${pad(i)}.ts`;
export const tableName = (i: number) => `entity_${pad(i)}`;

function relationTargets(i: number): { parent?: number; owner?: number } {
  return {
    parent: i > 1 ? i - 1 : undefined,
    owner: i > 2 && i % 4 === 0 ? Math.floor(i / 2) : undefined,
  };
}

export function entitySource(i: number, shape: EntityShape = DEFAULT_SHAPE): string {
  const { parent, owner } = relationTargets(i);
  const imports = [...new Set([parent, owner].filter((t): t is number => t !== undefined))]
    .map((t) => `import { ${className(t)} } from './${fileName(t).replace(/\.ts$/, '')}';`);
  const relation = (prop: string, column: string, target: number) => `
  @ManyToOne(() => ${className(target)}, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: '${column}' })
  ${prop}!: ${className(target)} | null;
`;
  return `import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
${imports.join('\n')}

@Entity({ name: '${tableName(i)}' })
@Index(['status', 'createdAt'])
export class ${className(i)} {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ type: 'varchar', length: ${shape.nameLength} })
  name!: string;

  @Column({ type: 'varchar', length: 200, nullable: true${i % 3 === 0 ? ', unique: true' : ''} })
  email!: string | null;

  @Column({ type: 'numeric', precision: 12, scale: 2, default: 0 })
  amount!: string;

  @Column({ type: 'integer', default: 0 })
  quantity!: number;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'varchar', length: 20, default: 'new' })
  status!: string;

  @Column({ type: 'jsonb', nullable: true })
  meta!: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
${parent !== undefined ? relation('parent', 'parent_id', parent) : ''}${owner !== undefined ? relation('owner', 'owner_id', owner) : ''}}
`;
}

/** All entity files of an N-table project. */
export function projectEntityFiles(count: number): Map<string, string> {
  const files = new Map<string, string>();
  for (let i = 1; i <= count; i += 1) files.set(fileName(i), entitySource(i));
  return files;
}

/** The entity whose `name` column the benchmark widens: one in the middle, with FKs in and out. */
export function changedEntityIndex(count: number): number {
  return Math.max(1, Math.ceil(count / 2));
}
