import { ApiProperty, ApiPropertyOptional, OmitType, PartialType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';

import { IsCalendarDate, IsNotBlank, IsOmittable, Label } from '../../../core/validation/decorators';
import {
  CADENCE_ZH,
  CADENCES,
  Cadence,
  COMPARATORS,
  Comparator,
  DIRECTIONS,
  Direction,
  ITEM_STATUS_ZH,
  ITEM_STATUSES,
  ItemStatus,
} from '../domain/types';
import {
  ITEM_SORTS,
  ITEM_VIEWS,
  ItemExtras,
  ItemRowView,
  ItemSort,
  ItemView,
  ItemViewKind,
  LIGHTS,
  Light,
  REPORT_STATUSES,
  ReportStatusName,
  TODO_KINDS,
  TOTAL_BOUND,
  TodoKind,
} from '../items.repository';

const isRange = (o: unknown) => (o as TargetDto).comparator === 'range';

/**
 * The upper bound of a range: required (a number, or null with upperText when redacted) for comparator 'range',
 * refused for the others (null there reads as absent), and not below the lower bound `value`.
 */
function IsRangeUpper(): PropertyDecorator {
  return ValidateBy({
    name: 'isRangeUpper',
    validator: {
      validate: (v: unknown, args?: ValidationArguments) => {
        const o = args?.object as TargetDto;
        if (!isRange(o)) return v === undefined || v === null;
        if (v === null) return true;
        if (typeof v !== 'number' || !Number.isFinite(v)) return false;
        return typeof o.value !== 'number' || o.value <= v;
      },
      defaultMessage: (args?: ValidationArguments) => {
        const o = args?.object as TargetDto;
        if (!isRange(o)) return '指标上限只用于区间指标（comparator 为 range）';
        if (typeof args?.value !== 'number' || !Number.isFinite(args.value)) return '指标上限必须是数字';
        return `指标上限 ${args.value} 不能小于下限（指标数值）${o.value}`;
      },
    },
  });
}

/** A range is always an increase: its progress is measured against its lower bound. */
function IsRangeDirection(): PropertyDecorator {
  return ValidateBy({
    name: 'isRangeDirection',
    validator: {
      validate: (v: unknown, args?: ValidationArguments) => !isRange(args?.object) || v !== 'decrease',
      defaultMessage: () => '区间指标只能是增加类（increase）',
    },
  });
}

export class TargetDto {
  @ApiProperty({ example: '拆除违法建设' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  @Label('指标名称')
  metric!: string;
  @ApiProperty({
    enum: COMPARATORS,
    example: '>=',
    description: '>= 不少于、<= 不超过、= 等于、range 区间（下限～上限）',
  })
  @IsIn(COMPARATORS)
  @Label('比较方式')
  comparator!: Comparator;
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 1.5,
    description: '数值（区间指标为下限）；原文脱敏（如 x.x）时为 null',
  })
  @ValidateIf((_, v) => v !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Label('指标数值')
  value!: number | null;
  @ApiPropertyOptional({ example: 'x.x', description: '原文中的数值写法；value 为 null 时必填' })
  @ValidateIf((o: TargetDto) => o.value === null || o.valueText !== undefined)
  @IsString()
  @IsNotBlank()
  @MaxLength(20)
  @Label('数值原文')
  valueText?: string;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    example: 2,
    description:
      '上限：仅区间指标（comparator 为 range）填写且必填，不小于下限 value；原文脱敏（如 x）时为 null',
  })
  @IsRangeUpper()
  @Label('指标上限')
  upper?: number | null;
  @ApiPropertyOptional({ example: 'x', description: '上限的原文写法；区间指标的 upper 为 null 时必填' })
  @ValidateIf((o: TargetDto) => o.upperText !== undefined || (isRange(o) && o.upper === null))
  @IsString()
  @IsNotBlank()
  @MaxLength(20)
  @ValidateBy({
    name: 'isRangeOnly',
    validator: {
      validate: (_v: unknown, args?: ValidationArguments) => isRange(args?.object),
      defaultMessage: () => '上限原文只用于区间指标（comparator 为 range）',
    },
  })
  @Label('上限原文')
  upperText?: string;
  @ApiProperty({ example: '万平方米' })
  @IsString()
  @IsNotBlank()
  @MaxLength(20)
  @Label('计量单位')
  unit!: string;
  @ApiPropertyOptional({ nullable: true, type: Number, description: '基数（用于下降类指标）' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Label('基数')
  baseline?: number | null;
  @ApiPropertyOptional({ enum: DIRECTIONS, default: 'increase' })
  @IsOptional()
  @IsIn(DIRECTIONS)
  @IsRangeDirection()
  @Label('指标方向')
  direction?: Direction;
}

export class MilestoneDto {
  @ApiProperty({ example: '2022-06', description: '月份 YYYY-MM：该月结束时应达到的进度' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: '月份须为 YYYY-MM 格式' })
  @Label('节点月份')
  month!: string;
  @ApiProperty({ example: 50, description: '应达到的完成率（0～100）' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  @Label('节点完成率')
  percent!: number;
}

export class CreateItemDto {
  @ApiProperty({ format: 'uuid', description: '所属重点任务' }) @IsUUID() @Label('重点任务') taskId!: string;
  @ApiProperty({ example: '落实门前五包示范路段' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  @Label('事项名称')
  title!: string;
  @ApiPropertyOptional({ description: '具体内容（原文）' })
  @IsOmittable()
  @IsString()
  @MaxLength(5000)
  @Label('具体内容')
  detail?: string;
  @ApiProperty({ format: 'uuid', description: '牵头单位' }) @IsUUID() @Label('牵头单位') leadUnitId!: string;
  @ApiPropertyOptional({ type: [String], description: '配合单位' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  @Label('配合单位')
  coUnitIds?: string[];
  @ApiProperty({ format: 'uuid', description: '责任领导' })
  @IsUUID()
  @Label('责任领导')
  responsibleLeaderId!: string;
  @ApiPropertyOptional({ format: 'uuid', description: '责任人（牵头单位人员）' })
  @IsOptional()
  @IsUUID()
  @Label('责任人')
  ownerId?: string;
  @ApiProperty({ example: '2022-01-01' }) @IsCalendarDate() @Label('开始日期') startDate!: string;
  @ApiProperty({ example: '2022-12-31', description: '完成时限（北京时间的日期）' })
  @IsCalendarDate()
  @Label('完成时限')
  deadline!: string;
  @ApiProperty({ enum: CADENCES }) @IsIn(CADENCES) @Label('填报频次') cadence!: Cadence;
  @ApiPropertyOptional({ default: 1 })
  @IsOmittable()
  @IsNumber()
  @Min(0.01)
  @Max(1000)
  @Label('权重')
  weight?: number;
  @ApiPropertyOptional({ type: [String] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(20, { each: true })
  @Label('标签')
  tags?: string[];
  @ApiPropertyOptional({ type: [TargetDto] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => TargetDto)
  @Label('量化指标')
  targets?: TargetDto[];
  @ApiPropertyOptional({
    type: [MilestoneDto],
    description: '月度节点：给出后序时进度按节点计算，不再按工作日线性推算',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(36)
  @ValidateNested({ each: true })
  @Type(() => MilestoneDto)
  @Label('月度节点')
  milestones?: MilestoneDto[];
}

/** Every field of CreateItemDto made optional (validators kept), except the owner, which has its own endpoint. */
export class UpdateItemDto extends PartialType(OmitType(CreateItemDto, ['ownerId'] as const), {
  // null is validated (and refused) like any other value: a PATCH cannot null a required column.
  skipNullProperties: false,
}) {
  @ApiProperty({ description: '读取时的版本号；已被他人修改时返回 409' })
  @IsInt()
  @Min(1)
  @Label('版本号')
  version!: number;
  @ApiPropertyOptional({ description: '调整顺序' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  @Label('排序号')
  sortOrder?: number;
}

export class AssignOwnerDto {
  @ApiProperty({ description: '读取时的版本号' }) @IsInt() @Min(1) @Label('版本号') version!: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: '责任人；null 表示取消分派' })
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  @Label('责任人')
  ownerId!: string | null;
}

export class ChangeItemStatusDto {
  @ApiProperty({ description: '读取时的版本号' }) @IsInt() @Min(1) @Label('版本号') version!: number;
  @ApiProperty({ enum: ITEM_STATUSES }) @IsIn(ITEM_STATUSES) @Label('事项状态') status!: ItemStatus;
  @ApiPropertyOptional({ description: '原因（暂停、取消、重新打开时必填）' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Label('原因')
  reason?: string;
}

export class DeleteItemQuery {
  @ApiProperty({ description: '读取时的版本号' })
  @Matches(/^[1-9]\d{0,8}$/)
  @Label('版本号')
  version!: string;
}

export class SearchItemsQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() @Label('计划') planId?: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: '重点任务：只列该重点任务下的事项（计划总览逐层展开）',
  })
  @IsOptional()
  @IsUUID()
  @Label('重点任务')
  taskId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: '牵头或配合单位（默认含下级单位）' })
  @IsOptional()
  @IsUUID()
  @Label('单位')
  unitId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: '牵头单位（默认含下级单位）' })
  @IsOptional()
  @IsUUID()
  @Label('牵头单位')
  leadUnitId?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'true' })
  @IsOptional()
  @IsIn(['true', 'false'])
  @Label('含下级单位')
  includeSubunits?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() @Label('责任人') ownerId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() @Label('责任领导') leaderId?: string;
  @ApiPropertyOptional({ description: '状态，可逗号分隔多个', example: 'assigned,in_progress' })
  @IsOptional()
  @Matches(/^[a-z_]+(,[a-z_]+)*$/)
  @Label('事项状态')
  status?: string;
  @ApiPropertyOptional({ enum: CADENCES }) @IsOptional() @IsIn(CADENCES) @Label('填报频次') cadence?: Cadence;
  @ApiPropertyOptional({ example: '2022-01-01' })
  @IsOptional()
  @IsCalendarDate()
  @Label('完成时限起')
  deadlineFrom?: string;
  @ApiPropertyOptional({ example: '2022-12-31' })
  @IsOptional()
  @IsCalendarDate()
  @Label('完成时限止')
  deadlineTo?: string;
  @ApiPropertyOptional({ example: '2022-06-15', description: '截至该日已逾期（过了完成时限且未办结）' })
  @IsOptional()
  @IsCalendarDate()
  @Label('逾期截至日期')
  overdueAsOf?: string;
  @ApiPropertyOptional({ description: '标题或内容中的文字' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Label('搜索文字')
  q?: string;
  @ApiPropertyOptional({ default: '1' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,5}$/)
  @Label('页码')
  page?: string;
  @ApiPropertyOptional({ default: '50', description: '每页条数（最多 200）' })
  @IsOptional()
  @Matches(/^([1-9]\d?|1\d\d|200)$/)
  @Label('每页条数')
  pageSize?: string;
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      '我的事项：责任人是我，或牵头单位是我所在单位（负责人含其下级单位），或我是责任领导；仍只在有权查看的范围内',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  @Label('我的事项')
  mine?: string;
  @ApiPropertyOptional({
    description: '灯色，可逗号分隔多个：red、yellow、green、none（无灯：尚未计算，或已暂停/取消）',
    example: 'red,yellow',
  })
  @IsOptional()
  @Matches(/^(red|yellow|green|none)(,(red|yellow|green|none))*$/, {
    message: '灯色须为 red、yellow、green、none，可逗号分隔',
  })
  @Label('灯色')
  light?: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: '调度周期：只列在该周期应填报的事项（填报截止日落在该周期内），nextReport 即该周期的填报',
  })
  @IsOptional()
  @IsUUID()
  @Label('调度周期')
  cycleId?: string;
  @ApiPropertyOptional({
    enum: TODO_KINDS,
    description:
      '工作台清单：report_due 待填报（当前调度周期应报未提交）；returned 已退回（有被退回待重报的填报）；' +
      'due_soon 即将到期（完成时限在今天至 10 个工作日内）；overdue 已逾期',
  })
  @IsOptional()
  @IsIn(TODO_KINDS)
  @Label('待办类型')
  todo?: TodoKind;
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description: `确切总数：默认只数到本页往后 ${TOTAL_BOUND} 条（列表翻页够用、省时），需要确切数字（如统计）时传 true`,
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  @Label('确切总数')
  exactTotal?: string;
  @ApiPropertyOptional({ enum: Object.keys(ITEM_SORTS), default: 'plan' })
  @IsOptional()
  @IsIn(Object.keys(ITEM_SORTS))
  @Label('排序方式')
  sort?: ItemSort;
  @ApiPropertyOptional({
    enum: ITEM_VIEWS,
    default: 'full',
    description:
      '行的内容：full 为完整事项（ItemDto）；row 为列表行（ItemRowDto：列表页显示的字段，不含内容、配合单位、指标、节点、会议等，数据量更小）',
  })
  @IsOptional()
  @IsIn(ITEM_VIEWS)
  @Label('视图')
  view?: ItemViewKind;
}

class RefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

class TargetViewDto {
  @ApiProperty() metric!: string;
  @ApiProperty({ enum: COMPARATORS }) comparator!: string;
  @ApiProperty({ nullable: true, type: Number }) value!: number | null;
  @ApiProperty() valueText!: string;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: '区间指标的上限（脱敏时为 null）；仅 range 有',
  })
  upper?: number | null;
  @ApiPropertyOptional({ description: '区间指标上限的原文写法；仅 range 有' }) upperText?: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ nullable: true, type: Number }) baseline!: number | null;
  @ApiProperty({ enum: DIRECTIONS }) direction!: string;
  @ApiProperty({ example: '拆除违法建设 ≥ 1.5 万平方米' }) text!: string;
}

export class ItemFiguresDto {
  @ApiProperty({
    enum: LIGHTS,
    nullable: true,
    type: String,
    description: '灯色；null 表示无灯（暂停、取消或未计入）',
  })
  light!: Light | null;
  @ApiProperty({ nullable: true, type: Number, example: 60, description: '完成率（%）' })
  completion!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 50, description: '序时进度（%）' })
  expected!: number | null;
  @ApiProperty({ format: 'date-time', description: '上次汇总计算这些数字的时间' })
  computedAt!: string;
}

export class ItemNextReportDto {
  @ApiProperty({ example: '2022-06', description: '填报周期：2022-06、2022-W24、2022-Q2 或 2022' })
  period!: string;
  @ApiProperty({ example: '2022年6月' }) periodName!: string;
  @ApiProperty({ example: '2022-06-24', description: '填报截止日（YYYY-MM-DD）' }) dueOn!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: '已有的填报；null 表示尚未开始' })
  reportId!: string | null;
  @ApiProperty({
    enum: REPORT_STATUSES,
    nullable: true,
    type: String,
    description: '填报状态；null 表示尚未开始',
  })
  status!: ReportStatusName | null;
}

export class PositionNodeDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ nullable: true, type: String, example: '（一）', description: '编号（计划本身无编号）' })
  numbering!: string | null;
}

export class ItemPositionDto {
  @ApiProperty({ type: PositionNodeDto }) plan!: PositionNodeDto;
  @ApiProperty({ type: PositionNodeDto }) section!: PositionNodeDto;
  @ApiProperty({ type: PositionNodeDto }) task!: PositionNodeDto;
}

export class ItemMeetingLinkDto {
  @ApiProperty({ format: 'uuid' }) meetingId!: string;
  @ApiProperty({ format: 'uuid' }) outcomeId!: string;
  @ApiProperty() heldOn!: string;
  @ApiProperty() title!: string;
}

export class ItemDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ format: 'uuid' }) sectionId!: string;
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty() sortOrder!: number;
  @ApiProperty() title!: string;
  @ApiProperty() detail!: string;
  @ApiProperty({ type: RefDto }) leadUnit!: RefDto;
  @ApiProperty({ type: [RefDto] }) coUnits!: RefDto[];
  @ApiProperty({ type: RefDto }) responsibleLeader!: RefDto;
  @ApiProperty({ type: RefDto, nullable: true }) owner!: RefDto | null;
  @ApiProperty({ example: '2022-01-01' }) startDate!: string;
  @ApiProperty({ example: '2022-12-31' }) deadline!: string;
  @ApiProperty({ nullable: true, type: String, description: '批准延期前的原完成时限（未延期为空）' })
  originalDeadline!: string | null;
  @ApiProperty({ enum: CADENCES }) cadence!: Cadence;
  @ApiProperty({ example: '每月' }) cadenceName!: string;
  @ApiProperty() weight!: number;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ type: [MilestoneDto] }) milestones!: MilestoneDto[];
  @ApiProperty({ enum: ITEM_STATUSES }) status!: ItemStatus;
  @ApiProperty({ example: '推进中' }) statusName!: string;
  @ApiProperty({ nullable: true, type: String }) statusReason!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) closedAt!: string | null;
  @ApiProperty({ description: '截至今天（北京时间）已过完成时限且未办结' }) overdue!: boolean;
  @ApiProperty() version!: number;
  @ApiProperty({ type: [TargetViewDto] }) targets!: TargetViewDto[];
  @ApiProperty({
    type: ItemMeetingLinkDto,
    nullable: true,
    description: '会议交办事项：交办它的月调度会及议定事项',
  })
  meeting!: ItemMeetingLinkDto | null;
  @ApiProperty({
    type: ItemFiguresDto,
    nullable: true,
    description: '汇总计算存下的灯色、完成率、序时进度；尚未计算时为 null',
  })
  figures!: ItemFiguresDto | null;
  @ApiProperty({
    type: ItemNextReportDto,
    nullable: true,
    description: '最早一期尚未审核通过的应填报（按 cycleId 查询时为该周期的填报）；无应填报时为 null',
  })
  nextReport!: ItemNextReportDto | null;
  @ApiProperty({ type: ItemPositionDto, description: '事项在计划中的位置：计划 → 部分 → 重点任务' })
  position!: ItemPositionDto;
}

const ItemPageTotalText = `总数：从本页第一条起往后最多数 ${TOTAL_BOUND} 条；更多时为该数且 totalCapped 为 true（显示为"${TOTAL_BOUND}+"），exactTotal=true 时为确切总数`;

/**
 * A list row (`GET /items?view=row`): the fields the list pages render (我的任务, 工作台, 计划总览, 领导视图),
 * each as in ItemDto (the plan, section and task ids are in `position`). A page needs no per-row subquery
 * and fewer bytes than full items (issue 19).
 */
export class ItemRowDto extends PickType(ItemDto, [
  'id',
  'title',
  'leadUnit',
  'responsibleLeader',
  'owner',
  'deadline',
  'originalDeadline',
  'status',
  'statusName',
  'overdue',
  'figures',
  'nextReport',
  'position',
] as const) {}

export class ItemRowPageDto {
  @ApiProperty({ description: ItemPageTotalText }) total!: number;
  @ApiProperty({ description: '总数是否只数到上限（实际更多）' }) totalCapped!: boolean;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: [ItemRowDto] }) items!: ItemRowDto[];
}

export class ItemPageDto {
  @ApiProperty({ description: ItemPageTotalText })
  total!: number;
  @ApiProperty({ description: '总数是否只数到上限（实际更多）' }) totalCapped!: boolean;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: [ItemDto] }) items!: ItemDto[];
}

export function toItemDto(
  v: ItemView,
  today: string,
  formatTarget: (t: ItemView['targets'][number]) => string,
  extras: ItemExtras,
): ItemDto {
  return {
    ...v,
    ...extras,
    cadenceName: CADENCE_ZH[v.cadence],
    statusName: ITEM_STATUS_ZH[v.status],
    overdue: v.deadline < today && v.status !== 'closed' && v.status !== 'cancelled',
    targets: v.targets.map((t) => ({ ...t, text: formatTarget(t) })),
  };
}

export class ItemsByUnitQuery {
  @ApiProperty({ format: 'uuid' }) @IsUUID() @Label('计划') planId!: string;
  @ApiPropertyOptional({ format: 'uuid', description: '责任领导（领导视图：我分管的单位）' })
  @IsOptional()
  @IsUUID()
  @Label('责任领导')
  leaderId?: string;
}

export class UnitItemCountsDto {
  @ApiProperty({ type: RefDto, description: '牵头单位' }) unit!: RefDto;
  @ApiProperty({ description: '事项数' }) items!: number;
  @ApiProperty({ description: '未办结事项数' }) open!: number;
  @ApiProperty() red!: number;
  @ApiProperty() yellow!: number;
  @ApiProperty() green!: number;
  @ApiProperty({ description: '已逾期（过了完成时限且未办结）' }) overdue!: number;
}

/** The list row of an item: the fields of ItemRowDto, computed as toItemDto computes them. */
export function toItemRowDto(v: ItemRowView, today: string, extras: ItemExtras): ItemRowDto {
  return {
    ...v,
    ...extras,
    statusName: ITEM_STATUS_ZH[v.status],
    overdue: v.deadline < today && v.status !== 'closed' && v.status !== 'cancelled',
  };
}
