import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Calendar,
  Col,
  Input,
  InputNumber,
  Modal,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';

import { api, ApiError, call, type Schemas } from '../../api/client';
import { QueryState } from '../../components/QueryState';
import { defaultPlan, usePlans } from './PlanPicker';
import './settings.css';

type Day = Schemas['CalendarDayDto'];
type Local = Schemas['LocalCalendarYearDto'];

/** What a day is for the organization: national rest/work plus its own exceptions. */
interface Mark {
  kind: 'holiday' | 'workday';
  name: string;
  local: boolean;
}

/**
 * 工作日历: a year as the organization works it — national holidays and 调休 workdays (GET /calendar/:year) with
 * the organization's own exceptions (GET/PUT /calendar/:year/local), which the admin edits by clicking a day.
 */
export function CalendarTab() {
  const plans = usePlans();
  // The default year is the working plan's (the demo runs in 2022), else this year.
  const [chosenYear, setYear] = useState<number>();
  const year = chosenYear ?? defaultPlan(plans.data ?? [])?.year ?? dayjs().year();
  const [month, setMonth] = useState<Dayjs>();
  const shown = month && month.year() === year ? month : dayjs(`${year}-01-01`);
  const calendar = useQuery({
    queryKey: ['calendar', year],
    queryFn: () => call(api.GET('/api/v1/calendar/{year}', { params: { path: { year } } })),
  });
  const local = useQuery({
    queryKey: ['calendar', year, 'local'],
    queryFn: () => call(api.GET('/api/v1/calendar/{year}/local', { params: { path: { year } } })),
  });
  const [editing, setEditing] = useState<Dayjs | null>(null);

  const marks = new Map<string, Mark>();
  for (const d of calendar.data?.holidays ?? [])
    marks.set(d.date, { kind: 'holiday', name: d.name, local: d.local });
  for (const d of calendar.data?.makeUpWorkdays ?? [])
    marks.set(d.date, { kind: 'workday', name: d.name, local: d.local });

  return (
    <QueryState
      isPending={calendar.isPending || local.isPending || plans.isPending}
      error={calendar.error ?? local.error}
      refetch={() => Promise.all([calendar.refetch(), local.refetch()])}
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <span>年度</span>
        <InputNumber
          min={2000}
          max={2100}
          precision={0}
          value={year}
          onChange={(v) => v && setYear(v)}
          data-testid="calendar-year"
        />
        <Tag color="red">休</Tag>国家法定节假日
        <Tag color="blue">班</Tag>调休上班
        <Tag color="volcano">本单位休</Tag>
        <Tag color="geekblue">本单位班</Tag>
      </Space>
      <Typography.Paragraph type="secondary">
        点击某一天，可将国家工作日设为本单位休息日，或将休息日设为本单位上班日；计划的调度周期与逾期工作日按本单位日历计算。
      </Typography.Paragraph>
      <Row gutter={24}>
        <Col xs={24} lg={16}>
          <Calendar
            value={shown}
            validRange={[dayjs(`${year}-01-01`), dayjs(`${year}-12-31`)]}
            onPanelChange={(d) => setMonth(d)}
            onSelect={(d, info) => {
              if (info.source === 'date') setEditing(d);
              else setMonth(d);
            }}
            fullscreen={false}
            fullCellRender={(d, info) => {
              if (info.type !== 'date') return info.originNode;
              const mark = marks.get(d.format('YYYY-MM-DD'));
              return (
                <div title={mark?.name} className={`calendar-day${mark ? ` calendar-day-${mark.kind}` : ''}`}>
                  <div>{d.date()}</div>
                  {mark && <DayTag mark={mark} />}
                </div>
              );
            }}
          />
        </Col>
        <Col xs={24} lg={8}>
          <LocalList year={year} local={local.data} />
        </Col>
      </Row>
      {editing && local.data && (
        <EditDay
          day={editing}
          mark={marks.get(editing.format('YYYY-MM-DD'))}
          local={local.data}
          onClose={() => setEditing(null)}
        />
      )}
    </QueryState>
  );
}

function DayTag({ mark }: { mark: Mark }) {
  const color = mark.kind === 'holiday' ? (mark.local ? 'volcano' : 'red') : mark.local ? 'geekblue' : 'blue';
  const text = (mark.local ? '本单位' : '') + (mark.kind === 'holiday' ? '休' : '班');
  return (
    <Tag
      color={color}
      style={{ fontSize: 10, lineHeight: '14px', padding: '0 2px', marginInlineEnd: 0 }}
      data-testid={`calendar-mark-${mark.kind}${mark.local ? '-local' : ''}`}
    >
      {text}
    </Tag>
  );
}

function useSaveLocal(year: number) {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  return useMutation({
    mutationFn: (body: { holidays: Day[]; workdays: Day[] }) =>
      call(api.PUT('/api/v1/calendar/{year}/local', { params: { path: { year } }, body })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['calendar', year] });
      void message.success('工作日历已保存');
    },
  });
}

function LocalList({ year, local }: { year: number; local: Local | undefined }) {
  const save = useSaveLocal(year);
  const rows = [
    ...(local?.holidays ?? []).map((d) => ({ ...d, kind: 'holiday' as const })),
    ...(local?.workdays ?? []).map((d) => ({ ...d, kind: 'workday' as const })),
  ].sort((a, b) => a.date.localeCompare(b.date));
  return (
    <>
      <Typography.Title level={5}>本单位安排（{year} 年）</Typography.Title>
      {save.error && <Alert type="error" showIcon title={save.error.message} style={{ marginBottom: 8 }} />}
      <Table
        size="small"
        rowKey="date"
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: '没有本单位另行安排的日子' }}
        onRow={() => ({ 'data-testid': 'calendar-local-row' }) as object}
        columns={[
          { title: '日期', dataIndex: 'date' },
          {
            title: '安排',
            dataIndex: 'kind',
            render: (k: 'holiday' | 'workday') => (k === 'holiday' ? '休息' : '上班'),
          },
          { title: '名称', dataIndex: 'name' },
          {
            title: '',
            key: 'remove',
            render: (_, r) => (
              <Button
                type="link"
                size="small"
                danger
                loading={save.isPending}
                onClick={() =>
                  local &&
                  save.mutate({
                    holidays: local.holidays.filter((d) => d.date !== r.date),
                    workdays: local.workdays.filter((d) => d.date !== r.date),
                  })
                }
              >
                删除
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}

function EditDay(props: { day: Dayjs; mark: Mark | undefined; local: Local; onClose: () => void }) {
  const { day, mark, local, onClose } = props;
  const date = day.format('YYYY-MM-DD');
  const save = useSaveLocal(day.year());
  const weekend = day.day() === 0 || day.day() === 6;
  // What the national calendar makes of the day, without the organization's own exception.
  const nationalRest = mark && !mark.local ? mark.kind === 'holiday' : weekend;
  const own = mark?.local ? mark : undefined;
  const [name, setName] = useState(own?.name ?? (nationalRest ? '本单位调休上班' : '本单位休息'));
  const others = {
    holidays: local.holidays.filter((d) => d.date !== date),
    workdays: local.workdays.filter((d) => d.date !== date),
  };
  const error = save.error instanceof ApiError ? save.error : null;
  return (
    <Modal
      open
      title={`${date}（周${'日一二三四五六'[day.day()]}）`}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
    >
      <Typography.Paragraph>
        国家日历：{nationalRest ? '休息日' : '工作日'}
        {mark && !mark.local ? `（${mark.name}）` : ''}
        {own ? `；本单位已安排为${own.kind === 'holiday' ? '休息日' : '上班日'}（${own.name}）` : ''}
      </Typography.Paragraph>
      {error && (
        <Alert
          type="error"
          showIcon
          title={error.message}
          description={error.fields.map((f) => f.message).join('；') || undefined}
          style={{ marginBottom: 12 }}
        />
      )}
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Input
          value={name}
          maxLength={20}
          onChange={(e) => setName(e.target.value)}
          prefix="名称"
          data-testid="calendar-day-name"
        />
        <Space wrap>
          <Button
            type="primary"
            loading={save.isPending}
            disabled={!name.trim()}
            data-testid="calendar-day-save"
            onClick={() =>
              save.mutate(
                nationalRest
                  ? { holidays: others.holidays, workdays: [...others.workdays, { date, name: name.trim() }] }
                  : {
                      holidays: [...others.holidays, { date, name: name.trim() }],
                      workdays: others.workdays,
                    },
                { onSuccess: onClose },
              )
            }
          >
            {nationalRest ? '设为本单位上班日' : '设为本单位休息日'}
          </Button>
          {own && (
            <Button
              danger
              loading={save.isPending}
              onClick={() => save.mutate(others, { onSuccess: onClose })}
            >
              取消本单位安排
            </Button>
          )}
          <Button onClick={onClose}>关闭</Button>
        </Space>
      </Space>
    </Modal>
  );
}
