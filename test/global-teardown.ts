import { dropTestDatabase } from './helpers/db';
import { TEMPLATE_DB } from './helpers/env';

export default async function globalTeardown(): Promise<void> {
  await dropTestDatabase(TEMPLATE_DB);
}
