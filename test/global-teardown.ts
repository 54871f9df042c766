import { dropTestDatabase } from './helpers/db';
import { dropDemoTemplate } from './helpers/demo-template';
import { TEMPLATE_DB } from './helpers/env';

export default async function globalTeardown(): Promise<void> {
  await dropTestDatabase(TEMPLATE_DB);
  await dropDemoTemplate();
}
