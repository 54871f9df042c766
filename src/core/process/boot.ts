import { ConsoleLogger, Logger } from '@nestjs/common';

import { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/env';
import { createMigrationDataSource } from '../database/data-source';
import { migrateOnStart } from '../database/migrate';

/** Validates the environment or exits with one line naming the bad variables (never their values). */
export function loadConfigOrExit(processName: string): AppConfig {
  process.env.DUBAN_PROCESS = processName;
  // JSON lines from the first log on, until the pino logger takes over inside Nest.
  Logger.overrideLogger(new ConsoleLogger({ json: true, colors: false }));
  try {
    return AppConfig.fromEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * Runs pending migrations (advisory-locked, so N starting processes migrate once) unless disabled,
 * as the schema owner (MIGRATION_DATABASE_URL); the process itself then runs as the runtime role.
 */
export async function migrateIfEnabled(config: AppConfig, processName: string): Promise<void> {
  if (!config.db.migrationsRun) return;
  await migrateOnStart(
    createMigrationDataSource(config, `duban-${processName}-migrate`),
    new Logger('Migrations'),
  );
}
