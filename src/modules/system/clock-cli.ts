import { DataSource } from 'typeorm';

import { AppConfig } from '../../core/config/app-config';
import { ClockCommand, formatShanghai } from '../../core/clock/clock-command';
import { CyclesRepository } from '../cycles/cycles.repository';
import { changeClock, ClockRefused, describeClock, nudgeWorker, readClock } from './clock-control';

/** How long a move waits for the worker's scan and recompute before leaving them to finish alone. */
const WAIT_MS = 30_000;

/**
 * `node dist/src/main.cli.js clock …` once the arguments parsed: prints the clock, or moves it and
 * lets the worker's scans run on the new instant. Returns the exit code; `print` and `fail` are the
 * CLI's stdout and stderr.
 */
export async function clockCli(
  config: AppConfig,
  dataSource: DataSource,
  command: ClockCommand,
  print: (text: string) => void,
  fail: (text: string) => void,
): Promise<number> {
  const calendar = () => new CyclesRepository(dataSource).nationalCalendar();
  if (command.kind === 'show') {
    print(describeClock(await readClock(dataSource), await calendar()));
    return 0;
  }
  // Production's business time is real time (DUBAN_NOW is refused there too); only unpinning is allowed.
  if (config.env === 'production' && command.kind !== 'real') {
    fail('生产环境（NODE_ENV=production）不拨动业务时钟：业务时间就是真实时间（只可 clock real 取消固定）');
    return 1;
  }
  let change;
  try {
    change = await changeClock(dataSource, command);
  } catch (err) {
    if (!(err instanceof ClockRefused)) throw err;
    fail(err.message);
    return 1;
  }
  const { before, after } = change;
  if (!change.changed) {
    print(`${describeClock(after, await calendar())}\n（未作改动）`);
    return 0;
  }
  if (change.jumped) print(`业务时钟从 ${formatShanghai(before.at)} 拨到 ${formatShanghai(after.at)}`);
  print(describeClock(after, await calendar()));
  if (!change.jumped) return 0;
  const outcome = await nudgeWorker(config.redis, after.at, WAIT_MS);
  if (outcome.noWorker) {
    print('没有运行中的 worker：提醒扫描和全量重算已入队，worker 启动后执行');
  } else if (outcome.reminders) {
    const r = outcome.reminders;
    print(
      `提醒扫描：新增 ${r.reminders} 条（站内消息 ${r.inapp} 条，待外发 ${r.external} 条）` +
        (outcome.rollupDone ? '；全量重算完成（红黄绿灯、逾期、已截止的调度周期）' : ''),
    );
  }
  if (outcome.note) print(outcome.note);
  return 0;
}
