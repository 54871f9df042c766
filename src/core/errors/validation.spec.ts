import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';

import { CreateUserDto } from '../../modules/org/dto/user.dto';
import { CreateItemDto, SearchItemsQuery, UpdateItemDto } from '../../modules/plans/dto/item.dto';
import { CreatePlanDto, PlanSettingsDto } from '../../modules/plans/dto/plan.dto';
import { SaveReportDto } from '../../modules/reports/dto/report.dto';
import { CreateMeetingDto } from '../../modules/dispatch/dto/meeting.dto';
import { ErrorCode } from './domain-error';
import { validationExceptionFactory } from './validation';

/** The global pipe's options that matter for the messages (whitelist, the target kept for labels). */
async function fields(cls: new () => object, body: object) {
  const errors = await validate(plainToInstance(cls, body), {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: true },
  });
  return validationExceptionFactory(errors).fields!;
}
const messageOf = async (cls: new () => object, body: object, field: string) =>
  (await fields(cls, body)).find((f) => f.field === field)?.message;

const item = {
  taskId: '6f1c9d2e-1111-4222-8333-444455556666',
  title: '落实门前五包示范路段',
  leadUnitId: '6f1c9d2e-1111-4222-8333-444455556667',
  responsibleLeaderId: '6f1c9d2e-1111-4222-8333-444455556668',
  startDate: '2022-01-01',
  deadline: '2022-12-31',
  cadence: 'monthly',
};

describe('validationExceptionFactory', () => {
  it('names every bad field with its Chinese label and path, one message each', async () => {
    const e = validationExceptionFactory(
      await validate(plainToInstance(CreateUserDto, { roles: 'admin', isAdmin: true, password: 'short' }), {
        whitelist: true,
        forbidNonWhitelisted: true,
        validationError: { target: true },
      }),
    );
    expect(e.code).toBe(ErrorCode.Validation);
    expect(e.fields).toEqual(
      expect.arrayContaining([
        { field: 'username', message: '用户名（username）为必填项' },
        { field: 'roles', message: '角色（roles）必须是数组' },
        { field: 'isAdmin', message: 'isAdmin是不允许的字段' },
        { field: 'password', message: '初始密码（password）长度不足（至少 8 个字符）' },
      ]),
    );
    expect(e.message).toBe(`请求参数有误：${e.fields!.map((f) => f.message).join('；')}`);
  });

  it('says a wrong type is a wrong type, before any range ("完成率必须是数字", not "数值过大")', async () => {
    const base = { percent: 50, progress: '已完成一半' };
    expect(await messageOf(SaveReportDto, { ...base, percent: 'abc' }, 'percent')).toBe(
      '完成率（percent）必须是数字',
    );
    expect(await messageOf(SaveReportDto, { ...base, percent: 150 }, 'percent')).toBe(
      '完成率（percent）不能大于 100',
    );
    expect(await messageOf(SaveReportDto, { ...base, percent: -1 }, 'percent')).toBe(
      '完成率（percent）不能小于 0',
    );
    expect(await messageOf(CreatePlanDto, { year: 1999, title: '计划' }, 'year')).toBe(
      '年度（year）不能小于 2000',
    );
  });

  it('names a field by its own DTO: an item title is 事项名称, a user title 职务, a missing taskId 重点任务', async () => {
    expect(await messageOf(CreateItemDto, { ...item, taskId: undefined }, 'taskId')).toBe(
      '重点任务（taskId）为必填项',
    );
    expect(await messageOf(CreateItemDto, { ...item, title: 42 }, 'title')).toBe(
      '事项名称（title）必须是文本',
    );
    // A mapped "update" DTO keeps the labels of the DTO it is derived from.
    expect(await messageOf(UpdateItemDto, { version: 1, title: 'x'.repeat(201) }, 'title')).toBe(
      '事项名称（title）长度超出限制（最多 200 个字符）',
    );
    expect(
      await messageOf(
        CreateUserDto,
        {
          username: 'abc',
          name: '张三',
          unitId: item.taskId,
          roles: ['member'],
          password: '12345678',
          title: 7,
        },
        'title',
      ),
    ).toBe('职务（title）必须是文本');
    expect(await messageOf(CreateMeetingDto, { heldOn: '2022-07-08', title: 7 }, 'title')).toBe(
      '会议名称（title）必须是文本',
    );
  });

  it('names nested fields by their path and their own label', async () => {
    const targets = [{ metric: '拆除违法建设', comparator: '>=', value: 'abc', unit: '万平方米' }];
    expect(await messageOf(CreateItemDto, { ...item, targets }, 'targets.0.value')).toBe(
      '指标数值（targets.0.value）必须是数字',
    );
  });

  it('refuses impossible dates, blank text and null settings, naming the field', async () => {
    expect(await messageOf(SearchItemsQuery, { overdueAsOf: '2022-02-30' }, 'overdueAsOf')).toBe(
      '逾期截至日期（overdueAsOf）不是有效的日期（应为 YYYY-MM-DD 格式的真实日期，2000～2100 年）',
    );
    expect(await messageOf(CreateItemDto, { ...item, deadline: '2022-13-01' }, 'deadline')).toMatch(
      /^完成时限（deadline）不是有效的日期/,
    );
    expect(await messageOf(CreateItemDto, { ...item, title: ' \u3000\t' }, 'title')).toBe(
      '事项名称（title）不能为空',
    );
    expect(
      await messageOf(PlanSettingsDto, { version: 1, reportDueWorkdays: null }, 'reportDueWorkdays'),
    ).toBe('填报截止工作日数（reportDueWorkdays）不能为空');
    expect(await fields(PlanSettingsDto, { version: 1, reportDueWorkdays: 3 })).toEqual([]);
  });

  it('names fields outside any DTO from the fallback list, or by their path', () => {
    const err = Object.assign(new ValidationError(), {
      property: 'file',
      value: 'x',
      constraints: { isString: 'x' },
      children: [],
    });
    expect(validationExceptionFactory([err]).fields).toEqual([
      { field: 'file', message: '文件（file）必须是文本' },
    ]);
  });
});
