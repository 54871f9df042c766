import 'reflect-metadata';

import { readFileSync, statSync } from 'node:fs';

import { replayDemo, seedBase, seedCalendar } from '../seeds';
import { CLOCK_USAGE, parseClockArgs } from './core/clock/clock-command';
import { loadConfigOrExit } from './core/process/boot';
import { createDataSource, createMigrationDataSource } from './core/database/data-source';
import {
  explainMigrationError,
  revertLastMigrationLocked,
  runMigrationsLocked,
} from './core/database/migrate';
import { copyEvidence } from './core/storage/evidence-copy';
import { createEvidenceStorage } from './core/storage/postgres-evidence-storage';
import { SecretKeyRing } from './modules/notify/channels';
import { resealChannels } from './modules/reminders/reseal';
import { setSysadmin } from './modules/org/sysadmin';
import { clockCli } from './modules/system/clock-cli';
import { pinDemoClock } from './modules/system/clock-control';

const USAGE =
  '用法：node dist/src/main.cli.js migrate | migrate:revert | calendar | seed | notify:reseal | worker:health' +
  ' | evidence:copy --from disk|postgres --to postgres|disk' +
  ' | user:grant-sysadmin <登录名> | user:revoke-sysadmin <登录名>' +
  ' | clock [advance <N>(m|h|d|wd) | advance-to <YYYY-MM-DD[THH:mm]> | run | freeze | real]';
const SYSADMIN_COMMANDS = ['user:grant-sysadmin', 'user:revoke-sysadmin'];

const STORES = ['disk', 'postgres'] as const;

/** `evidence:copy --from disk --to postgres` (or back): EVIDENCE_DIR is the disk store either way. */
async function evidenceCopy(args: string[]): Promise<number> {
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const from = STORES.find((s) => s === opt('--from'));
  const to = STORES.find((s) => s === opt('--to'));
  if (!from || !to || from === to) {
    console.error(`${USAGE}\nevidence:copy 需要 --from 与 --to（disk 或 postgres，二者不同）`);
    return 2;
  }
  const config = loadConfigOrExit('cli');
  const dataSource = createDataSource(config, 'duban-cli-evidence-copy');
  await dataSource.initialize();
  try {
    const source = createEvidenceStorage(from, dataSource, config.evidence.dir);
    const target = createEvidenceStorage(to, dataSource, config.evidence.dir);
    console.log(`复制佐证材料：${from} → ${to}（磁盘目录 ${config.evidence.dir}）`);
    const r = await copyEvidence(dataSource, source, target, (line) => console.log(line));
    console.log(
      `源共 ${r.total} 个文件：新复制 ${r.copied} 个，目标已有 ${r.present} 个，校验不符 ${r.corrupt.length} 个；` +
        `登记的佐证材料在目标中缺失 ${r.missing.length} 个`,
    );
    for (const key of r.corrupt) console.error(`校验不符（未复制）：${key}`);
    for (const key of r.missing) console.error(`目标中缺失：${key}`);
    return r.corrupt.length || r.missing.length ? 1 : 0;
  } finally {
    await dataSource.destroy();
  }
}

async function main(command: string | undefined, args: string[]): Promise<number> {
  const arg = args[0];
  if (command === 'worker:health') return workerHealth();
  if (command === 'evidence:copy') return evidenceCopy(args);
  if (command === 'clock') {
    const parsed = parseClockArgs(args);
    if (!parsed.ok) {
      console.error(`${parsed.message}\n${CLOCK_USAGE}`);
      return 2;
    }
    const config = loadConfigOrExit('cli');
    const dataSource = createDataSource(config, 'duban-cli-clock');
    await dataSource.initialize();
    try {
      return await clockCli(config, dataSource, parsed.value, console.log, console.error);
    } finally {
      await dataSource.destroy();
    }
  }
  if (
    !command ||
    ![...SYSADMIN_COMMANDS, 'migrate', 'migrate:revert', 'calendar', 'seed', 'notify:reseal'].includes(
      command,
    )
  ) {
    console.error(USAGE);
    return 2;
  }
  if (SYSADMIN_COMMANDS.includes(command) && !arg) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfigOrExit('cli');
  // Schema changes as the owner (MIGRATION_DATABASE_URL); data (calendar, seed) as the runtime role.
  const dataSource = command.startsWith('migrate')
    ? createMigrationDataSource(config, `duban-cli-${command}`)
    : createDataSource(config, `duban-cli-${command}`);
  await dataSource.initialize();
  try {
    if (command === 'migrate') {
      const n = await runMigrationsLocked(dataSource).catch((err: unknown) => {
        throw explainMigrationError(err);
      });
      console.log(n > 0 ? `已执行 ${n} 个数据库迁移` : '数据库已是最新结构');
    } else if (command === 'calendar') {
      // Reference data, allowed in production: the official holiday schedule of the years in seeds/data/calendar.yaml.
      const n = await dataSource.transaction((em) => seedCalendar(em));
      console.log(`工作日历已载入（新增 ${n} 天）`);
    } else if (command === 'notify:reseal') {
      // After a key rotation: everything sealed with an older key is sealed again with the current one.
      const keys = SecretKeyRing.fromMaterial(config.notify.secretKeys);
      const r = await resealChannels(dataSource, keys);
      console.log(
        `已用当前密钥（${keys.current.id}）重新加密 ${r.resealed} 个接收渠道` +
          (r.unreadable ? `；${r.unreadable} 个无法解密（旧密钥未配置），需由其负责人重新保存` : ''),
      );
      if (r.unreadable) return 1;
    } else if (SYSADMIN_COMMANDS.includes(command)) {
      // The only way to the system administrator role: no API grants it.
      const grant = command === 'user:grant-sysadmin';
      const r = await setSysadmin(dataSource, arg!, grant);
      if (!r.changed) console.log(`${r.username} ${grant ? '已经是' : '本来就不是'}平台管理员，未作改动`);
      else if (r.deactivated)
        console.log(`已撤销 ${r.username} 的平台管理员角色；该账号没有其他角色，已停用`);
      else
        console.log(
          `已${grant ? '授予' : '撤销'} ${r.username} 的平台管理员角色（当前角色：${r.roles.join('、')}）`,
        );
    } else if (command === 'migrate:revert') {
      const name = await revertLastMigrationLocked(dataSource).catch((err: unknown) => {
        throw explainMigrationError(err);
      });
      console.log(name ? `已回滚数据库迁移 ${name}` : '没有可回滚的数据库迁移');
    } else {
      if (config.env === 'production') {
        console.error('生产环境（NODE_ENV=production）不载入演示数据');
        return 1;
      }
      if (!config.demoPassword) {
        console.error('载入演示数据需要设置 DEMO_PASSWORD');
        return 1;
      }
      // With a demo day (DUBAN_NOW) the plans' first half-year up to it is replayed through the
      // services; without one (real time) the plans are loaded with their owners and no history.
      const c = await seedBase(dataSource, config.demoPassword, { replay: !!config.now });
      console.log(
        `演示数据已就绪：${c.organizations} 个组织、${c.units} 个单位、${c.users} 个用户、${c.plans} 个计划、${c.items} 个具体事项（本次新增 ${c.inserted} 行）`,
      );
      if (config.now) {
        const r = await replayDemo(config, dataSource, { log: (line) => console.log(line) });
        if (r.status === 'done') {
          console.log(`演示回放完成：${r.performed} 步，用时 ${(r.ms / 1000).toFixed(1)} 秒`);
        }
        // The demo lives in DUBAN_NOW's day: every process reads the business clock from the
        // database (duban_now()), so the pin is what sets it, for the API and the worker alike.
        // A clock moved on since (`clock advance`) is not set back; DUBAN_CLOCK=running lets it run.
        await pinDemoClock(dataSource, config.now, config.clockRunning);
      }
    }
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

/** Exit 0 when the worker's heartbeat file is fresh and says ready; for container healthchecks. */
function workerHealth(): number {
  const file = process.env.WORKER_HEARTBEAT_FILE;
  if (!file) {
    console.error('未设置 WORKER_HEARTBEAT_FILE');
    return 2;
  }
  try {
    const age = Date.now() - statSync(file).mtimeMs;
    const state = JSON.parse(readFileSync(file, 'utf8')) as { ready?: boolean };
    if (age < 30_000 && state.ready) return 0;
    console.error(`worker 未就绪（心跳 ${Math.round(age / 1000)} 秒前，ready=${String(state.ready)}）`);
  } catch {
    console.error('worker 未就绪（没有心跳文件）');
  }
  return 1;
}

main(process.argv[2], process.argv.slice(3)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`命令失败：${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
