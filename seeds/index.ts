import { DataSource } from 'typeorm';

import { seedOrganizations, SeedCounts } from './organizations.seed';

export { readOrganizations } from './organizations.seed';

/** The whole demo seed, in one transaction: all of it lands or none of it. */
export async function seedDemo(dataSource: DataSource, demoPassword: string): Promise<SeedCounts> {
  return dataSource.transaction((em) => seedOrganizations(em, demoPassword));
}
