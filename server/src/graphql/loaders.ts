import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { UserEntity } from '../modules/users/user.entity';
import { WorkspaceEntity } from '../modules/workspace/workspace.entity';

function byId<T extends { id: string }>(db: DataSource, entity: new () => T) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await db.getRepository(entity).findBy({ id: In([...ids]) } as never);
    const map = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

/** Per-request batching: a list of 100 members loads its users in one query. */
export function createLoaders(db: DataSource) {
  return {
    user: byId(db, UserEntity),
    workspace: byId(db, WorkspaceEntity),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
