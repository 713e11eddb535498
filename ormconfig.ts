/**
 * The sample app's TypeORM config, as pgshift finds it: a default-exported DataSource. pgshift never
 * connects with it; it only reads the entities (and, for `check`/`up`, DATABASE_URL).
 */
import { DataSource } from 'typeorm';
import { Asset } from './entities/Asset';
import { AssetPrice } from './entities/AssetPrice';
import { ExchangeRate } from './entities/ExchangeRate';
import { User } from './entities/User';

export default new DataSource({
  type: 'postgres',
  url: process.env.DATABASE_URL ?? 'postgres://postgres@localhost:5432/app',
  entities: [User, Asset, AssetPrice, ExchangeRate],
  migrations: [],
});
