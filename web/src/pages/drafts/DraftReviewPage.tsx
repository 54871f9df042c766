import {
  ArrowLeftOutlined,
  DeleteOutlined,
  MergeCellsOutlined,
  PlusOutlined,
  ScissorOutlined,
  TeamOutlined,
  WarningFilled,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  DatePicker,
  Flex,
  Form,
  Input,
  Modal,
  Radio,
  Result,
  Select,
  Space,
  Tag,
  Tooltip,
  TreeSelect,
  Typography,
} from 'antd';
import type { ButtonProps } from 'antd';
import dayjs from 'dayjs';
import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { api, ApiError, call, type Schemas } from '../../api/client';
import { hasRole, useMe } from '../../auth/auth';
import { QueryState } from '../../components/QueryState';
import { unitOptions, useUnits } from '../../components/settings/shared';
import { ForbiddenPage } from '../ForbiddenPage';
import { PlanPicker } from '../settings/PlanPicker';
import {
  CADENCE_ZH,
  draftsApi,
  targetText,
  useDraft,
  type Cadence,
  type Comparator,
  type Draft,
  type DraftItem,
  type DraftSection,
  type DraftTarget,
  type PublishResult,
} from './draftsApi';
import {
  deleteItem,
  mapItems,
  mergeWithNext,
  missing,
  pathKey,
  problemPath,
  splitItem,
  splitPoint,
  updateItem,
  type ItemPath,
} from './edit';
import './drafts.css';

type User = Schemas['UserDto'];
type Unit = Schemas['UnitDto'];

/** 核对草稿: the proposed tree beside the report, edited and published. */
export default function DraftReviewPage() {
  const me = useMe();
  const { id = '' } = useParams();
  const draft = useDraft(id);
  if (!hasRole(me, 'admin') && !hasRole(me, 'dispatcher'))
    return <ForbiddenPage message="导入工作报告仅对系统管理员和督查室开放。" />;
  return (
    <QueryState isPending={draft.isPending} error={draft.error} refetch={draft.refetch}>
      {draft.data && <Review key={draft.data.id} draft={draft.data} />}
    </QueryState>
  );
}

function useUsers() {
  return useQuery({
    queryKey: ['users', {}],
    queryFn: () => call(api.GET('/api/v1/users', { params: { query: {} } })),
    staleTime: 60_000,
  });
}

/** The unit and every unit under it. */
function subtree(units: Unit[], root: string): Set<string> {
  const out = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of units)
      if (u.parentId && out.has(u.parentId) && !out.has(u.id)) {
        out.add(u.id);
        grew = true;
      }
  }
  return out;
}

function Review({ draft }: { draft: Draft }) {
  const { message, modal } = AntApp.useApp();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [title, setTitle] = useState(draft.title);
  const [sections, setSections] = useState<DraftSection[]>(draft.sections);
  const [version, setVersion] = useState(draft.version);
  const [dirty, setDirty] = useState(false);
  const [selected, setSelected] = useState<ItemPath | null>(null);
  const [problems, setProblems] = useState<{ path: ItemPath | null; message: string }[]>([]);
  const [publishing, setPublishing] = useState(false);
  const [bulk, setBulk] = useState<{ scope: 'task' | 'section' | 'all'; s: number; t: number } | null>(null);
  const [published, setPublished] = useState<(PublishResult & { to: string }) | null>(null);
  const units = useUnits();
  const users = useUsers();
  const readOnly = draft.status === 'published';

  const edit = (next: DraftSection[]) => {
    setSections(next);
    setDirty(true);
  };

  // Leaving with unsaved edits: the browser's own prompt on reload/close, ours on an in-app link.
  useEffect(() => {
    if (!dirty) return;
    const onUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    const onClick = (e: MouseEvent) => {
      const a = (e.target as HTMLElement).closest('a[href]');
      const href = a?.getAttribute('href');
      if (!a || !href?.startsWith('/') || a.getAttribute('target') === '_blank') return;
      e.preventDefault();
      e.stopPropagation();
      modal.confirm({
        title: '有未保存的修改',
        content: '离开本页将丢失尚未保存的修改，确定离开吗？',
        okText: '离开',
        cancelText: '留下',
        onOk: () => void navigate(href),
      });
    };
    window.addEventListener('beforeunload', onUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [dirty, modal, navigate]);

  const save = useMutation({
    mutationFn: () => draftsApi.save(draft.id, { version, title, sections }),
    onSuccess: (saved) => {
      setVersion(saved.version);
      setSections(saved.sections);
      setTitle(saved.title);
      setDirty(false);
      client.setQueryData(['draft', draft.id], saved);
      void client.invalidateQueries({ queryKey: ['drafts'] });
      void message.success('草稿已保存');
    },
    onError: (e) =>
      void message.error(
        e instanceof ApiError && e.status === 409 ? '草稿已被他人修改，请刷新' : (e as Error).message,
      ),
  });

  const problemKeys = new Set(problems.flatMap((p) => (p.path ? [pathKey(p.path)] : [])));
  const allItems = sections.flatMap((s) => s.tasks.flatMap((t) => t.items));
  const incomplete = allItems.filter((i) => missing(i).length > 0).length;
  const item = selected ? sections[selected.s]?.tasks[selected.t]?.items[selected.i] : undefined;

  if (published || readOnly)
    return (
      <Result
        status="success"
        data-testid="draft-published"
        title={published ? published.to : `本草稿已发布`}
        subTitle={
          published
            ? `写入 ${published.sections} 个部分、${published.tasks} 项重点任务、${published.items} 项具体事项。`
            : draft.title
        }
        extra={
          <Space>
            <Link to={`/plan?planId=${published?.planId ?? draft.publishedPlanId}`}>查看计划</Link>
            <Link to="/drafts">返回草稿列表</Link>
          </Space>
        }
      />
    );

  return (
    <div className="draft-review">
      <Flex gap={8} wrap align="center" className="draft-toolbar">
        <Link to="/drafts" aria-label="返回草稿列表">
          <ArrowLeftOutlined />
        </Link>
        <Typography.Title
          level={4}
          style={{ margin: 0, flex: '1 1 240px' }}
          editable={{ onChange: (v) => (setTitle(v.trim() || title), setDirty(true)), tooltip: '修改标题' }}
          data-testid="draft-plan-title"
        >
          {title}
        </Typography.Title>
        <Tag>{draft.year} 年</Tag>
        <Typography.Text type="secondary">
          {allItems.length} 项事项
          {incomplete > 0 && <span className="draft-missing-count">，{incomplete} 项待补全</span>}
        </Typography.Text>
        <Button
          icon={<TeamOutlined />}
          onClick={() => setBulk({ scope: 'all', s: 0, t: 0 })}
          data-testid="draft-bulk-all"
        >
          批量设置
        </Button>
        <Button
          onClick={() => save.mutate()}
          loading={save.isPending}
          disabled={!dirty}
          data-testid="draft-save"
        >
          {dirty ? '保存' : '已保存'}
        </Button>
        <Button type="primary" onClick={() => setPublishing(true)} data-testid="draft-publish">
          发布
        </Button>
      </Flex>
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setProblems([])}
          className="draft-problems"
          title={`${problems.length} 处需要补全后才能发布`}
          data-testid="draft-problems"
          description={
            <ul>
              {problems.map((p, k) => (
                <li key={k}>
                  {p.path ? (
                    <a onClick={() => setSelected(p.path)} data-testid="draft-problem">
                      {p.message}
                    </a>
                  ) : (
                    <span data-testid="draft-problem">{p.message}</span>
                  )}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <div className="draft-panes">
        <div className="draft-tree" data-testid="draft-tree">
          {sections.map((sec, s) => (
            <section key={s} className="draft-section">
              <Flex align="center" gap={8} className="draft-section-head">
                <span className="draft-numbering">{sec.numbering}</span>
                <Typography.Text
                  strong
                  editable={{
                    onChange: (v) => edit(sections.map((x, k) => (k === s ? { ...x, title: v } : x))),
                  }}
                >
                  {sec.title}
                </Typography.Text>
                <div style={{ flex: 1 }} />
                <Button size="small" type="link" onClick={() => setBulk({ scope: 'section', s, t: 0 })}>
                  本部分批量设置
                </Button>
              </Flex>
              {sec.tasks.map((task, t) => (
                <div key={t} className="draft-task" data-testid="draft-task">
                  <Flex align="center" gap={8} className="draft-task-head" wrap>
                    <span className="draft-numbering">{task.numbering}</span>
                    <Typography.Text
                      strong
                      className="draft-task-title"
                      editable={{
                        onChange: (v) =>
                          edit(
                            sections.map((x, k) =>
                              k !== s
                                ? x
                                : { ...x, tasks: x.tasks.map((y, j) => (j === t ? { ...y, title: v } : y)) },
                            ),
                          ),
                      }}
                    >
                      {task.title}
                    </Typography.Text>
                    {task.kind === 'indicators' && <Tag>主要指标</Tag>}
                    {task.kind === 'other' && <Tag>其他工作</Tag>}
                    <div style={{ flex: 1 }} />
                    <Button
                      size="small"
                      type="link"
                      onClick={() => setBulk({ scope: 'task', s, t })}
                      data-testid="draft-task-bulk"
                    >
                      为本任务全部事项设置牵头单位/责任领导
                    </Button>
                  </Flex>
                  {task.items.map((it, i) => {
                    const p = { s, t, i };
                    const on = selected !== null && pathKey(selected) === pathKey(p);
                    return (
                      <Fragment key={i}>
                        <ItemCard
                          item={it}
                          selected={on}
                          problem={problemKeys.has(pathKey(p))}
                          units={units.data ?? []}
                          users={users.data ?? []}
                          onSelect={() => setSelected(on ? null : p)}
                        />
                        {on && item && selected && (
                          <ItemEditor
                            key={pathKey(selected)}
                            item={item}
                            last={selected.i === sections[selected.s].tasks[selected.t].items.length - 1}
                            units={units.data ?? []}
                            users={users.data ?? []}
                            onChange={(patch) => edit(updateItem(sections, selected, patch))}
                            onMerge={() => edit(mergeWithNext(sections, selected, draft.sourceText))}
                            onSplit={(at) => {
                              const k = at ?? splitPoint(item.text);
                              if (k === null)
                                return void message.info('没有可拆分的位置：请把光标放在要拆开的地方');
                              edit(splitItem(sections, selected, k, draft.sourceText));
                            }}
                            onDelete={() => {
                              edit(deleteItem(sections, selected));
                              setSelected(null);
                            }}
                            onClose={() => setSelected(null)}
                          />
                        )}
                      </Fragment>
                    );
                  })}
                  {task.items.length === 0 && (
                    <Typography.Text type="secondary" className="draft-empty">
                      本任务已无事项
                    </Typography.Text>
                  )}
                </div>
              ))}
            </section>
          ))}
        </div>
        <SourcePane
          source={draft.sourceText}
          sections={sections}
          selected={selected}
          onSelect={setSelected}
        />
      </div>
      {bulk && (
        <BulkDialog
          scope={bulk.scope}
          name={
            bulk.scope === 'all'
              ? '全部事项'
              : bulk.scope === 'section'
                ? `“${sections[bulk.s].title}”的全部事项`
                : `“${sections[bulk.s].tasks[bulk.t].title}”的全部事项`
          }
          units={units.data ?? []}
          users={users.data ?? []}
          onCancel={() => setBulk(null)}
          onOk={(v) => {
            const inScope = (p: ItemPath) =>
              bulk.scope === 'all' || (p.s === bulk.s && (bulk.scope === 'section' || p.t === bulk.t));
            edit(
              mapItems(
                sections,
                (it) => ({
                  ...it,
                  leadUnitId: v.leadUnitId ?? it.leadUnitId,
                  responsibleLeaderId: v.leaderId ?? it.responsibleLeaderId,
                  deadline: it.deadline ?? v.deadline ?? null,
                  ownerId: v.leadUnitId && v.leadUnitId !== it.leadUnitId ? null : it.ownerId,
                }),
                inScope,
              ),
            );
            setBulk(null);
          }}
        />
      )}
      {publishing && (
        <PublishDialog
          year={draft.year}
          title={title}
          onCancel={() => setPublishing(false)}
          publish={async (v) => {
            let at = version;
            if (dirty) {
              const saved = await draftsApi.save(draft.id, { version, title, sections });
              at = saved.version;
              setVersion(saved.version);
              setDirty(false);
            }
            try {
              const result = await draftsApi.publish(draft.id, { version: at, ...v });
              setProblems([]);
              setPublishing(false);
              setPublished({
                ...result,
                to: v.planId ? '已添加到所选计划' : `已发布为“${v.title ?? title}”`,
              });
              void client.invalidateQueries({ queryKey: ['drafts'] });
              void client.invalidateQueries({ queryKey: ['plans'] });
            } catch (e) {
              if (e instanceof ApiError && e.status === 422 && e.fields.length > 0) {
                setProblems(e.fields.map((f) => problem(sections, f.field, f.message)));
                setPublishing(false);
                return;
              }
              throw e;
            }
          }}
        />
      )}
    </div>
  );
}

/** A publish refusal's line in the bureau's words: where the item sits (task, position, title) and what it lacks. */
function problem(
  sections: DraftSection[],
  field: string,
  msg: string,
): { path: ItemPath | null; message: string } {
  const path = problemPath(field);
  const task = path ? sections[path.s]?.tasks[path.t] : undefined;
  const item = path ? task?.items[path.i] : undefined;
  if (!path || !task || !item) return { path: null, message: msg };
  // The server says where as "第1部分第2项任务第3条事项："; the task's own name says it better.
  const what = msg.replace(/^第\d+部分第\d+项任务第\d+条事项[：:]/, '');
  return {
    path,
    message: `${task.numbering ?? ''}${task.title} 第 ${path.i + 1} 项“${item.title}”：${what}`,
  };
}

function ItemCard(props: {
  item: DraftItem;
  selected: boolean;
  problem: boolean;
  units: Unit[];
  users: User[];
  onSelect: () => void;
}) {
  const { item } = props;
  const gaps = missing(item);
  const unitName = (id: string | null) => props.units.find((u) => u.id === id)?.name;
  const userName = (id: string | null) => props.users.find((u) => u.id === id)?.name;
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (props.selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [props.selected]);
  return (
    <div
      ref={ref}
      role="button"
      tabIndex={0}
      className={`draft-item${props.selected ? ' is-selected' : ''}${props.problem ? ' has-problem' : ''}`}
      onClick={props.onSelect}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && props.onSelect()}
      data-testid="draft-item"
      data-selected={props.selected || undefined}
    >
      <Flex gap={6} align="baseline" wrap>
        {gaps.length > 0 && (
          <Tooltip title={`发布前需补全：${gaps.join('、')}`}>
            <WarningFilled
              className="draft-warn"
              aria-label={`缺少${gaps.join('、')}`}
              data-testid="draft-item-warn"
            />
          </Tooltip>
        )}
        <span className="draft-item-title">{item.title}</span>
        <Tag color="blue">{CADENCE_ZH[item.cadence] ?? item.cadence}</Tag>
        {item.deadline && <Tag>{item.deadline} 前</Tag>}
      </Flex>
      {item.targets.length > 0 && (
        <div className="draft-targets">
          {item.targets.map((t, k) => (
            <Tag key={k} color="purple" data-testid="draft-target">
              {targetText(t)}
            </Tag>
          ))}
        </div>
      )}
      {(item.units.length > 0 || item.leadUnitId || item.responsibleLeaderId || item.ownerId) && (
        <Flex gap={4} wrap className="draft-units">
          {item.units.map((u, k) =>
            item.unitIds[k] ? (
              <Tag key={k}>{u}</Tag>
            ) : (
              <Tooltip key={k} title="本组织尚无此单位">
                <Tag color="warning">{u} · 新单位</Tag>
              </Tooltip>
            ),
          )}
          {item.leadUnitId && (
            <Typography.Text type="secondary" className="draft-assign">
              牵头：{unitName(item.leadUnitId) ?? '—'}
            </Typography.Text>
          )}
          {item.responsibleLeaderId && (
            <Typography.Text type="secondary" className="draft-assign">
              责任领导：{userName(item.responsibleLeaderId) ?? '—'}
            </Typography.Text>
          )}
          {item.ownerId && (
            <Typography.Text type="secondary" className="draft-assign">
              责任人：{userName(item.ownerId) ?? '—'}
            </Typography.Text>
          )}
        </Flex>
      )}
    </div>
  );
}

const COMPARATORS: { value: Comparator; label: string }[] = [
  { value: '>=', label: '不少于（≥）' },
  { value: '<=', label: '不超过（≤）' },
  { value: '=', label: '等于（=）' },
  { value: 'range', label: '区间（下限-上限）' },
];

function ItemEditor(props: {
  item: DraftItem;
  last: boolean;
  units: Unit[];
  users: User[];
  onChange: (patch: Partial<DraftItem>) => void;
  onMerge: () => void;
  onSplit: (at: number | null) => void;
  onDelete: () => void;
  onClose: () => void;
}) {
  const { item, onChange } = props;
  const cursor = useRef<number | null>(null);
  const leaders = props.users.filter((u) => u.active && u.roles.includes('leader'));
  const ownerUnits = item.leadUnitId ? subtree(props.units, item.leadUnitId) : null;
  const owners = ownerUnits ? props.users.filter((u) => u.active && ownerUnits.has(u.unitId)) : [];
  const unitTree = useMemo(() => unitOptions(props.units), [props.units]);
  const setTarget = (k: number, patch: Partial<DraftTarget>) =>
    onChange({ targets: item.targets.map((t, j) => (j === k ? { ...t, ...patch } : t)) });

  return (
    <div className="draft-editor" data-testid="draft-editor">
      <Flex align="center" gap={8} className="draft-editor-head">
        <Typography.Text strong>编辑事项</Typography.Text>
        <div style={{ flex: 1 }} />
        <Tooltip title={props.last ? '已是本任务最后一项' : '与本任务的下一项合并为一项'}>
          <Button size="small" icon={<MergeCellsOutlined />} disabled={props.last} onClick={props.onMerge}>
            与下一项合并
          </Button>
        </Tooltip>
        <Tooltip title="在原文光标处拆开；未放光标时在第一个“；”或“。”处拆开">
          <Button size="small" icon={<ScissorOutlined />} onClick={() => props.onSplit(cursor.current)}>
            拆分
          </Button>
        </Tooltip>
        <Button
          size="small"
          danger
          icon={<DeleteOutlined />}
          onClick={props.onDelete}
          data-testid="draft-item-delete"
        >
          删除
        </Button>
        <Button size="small" type="text" onClick={props.onClose} aria-label="收起">
          收起
        </Button>
      </Flex>
      <Form layout="vertical" size="small" className="draft-editor-form">
        <Form.Item label="事项标题">
          <Input
            value={item.title}
            onChange={(e) => onChange({ title: e.target.value })}
            data-testid="item-title"
          />
        </Form.Item>
        <Form.Item label="事项内容（原文）">
          <Input.TextArea
            value={item.text}
            autoSize={{ minRows: 2, maxRows: 6 }}
            onChange={(e) => onChange({ text: e.target.value })}
            onSelect={(e) => {
              const el = e.currentTarget;
              cursor.current =
                el.selectionStart > 0 && el.selectionStart < el.value.length ? el.selectionStart : null;
            }}
            data-testid="item-text"
          />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item label="工作频次" style={{ flex: '1 1 140px' }}>
            <Select<Cadence>
              value={item.cadence}
              onChange={(cadence) => onChange({ cadence })}
              options={Object.entries(CADENCE_ZH).map(([value, label]) => ({
                value: value as Cadence,
                label,
              }))}
              data-testid="item-cadence"
            />
          </Form.Item>
          <Form.Item
            label="完成时限"
            style={{ flex: '1 1 160px' }}
            validateStatus={item.deadline ? undefined : 'warning'}
          >
            <DatePicker
              style={{ width: '100%' }}
              value={item.deadline ? dayjs(item.deadline) : null}
              onChange={(d) => onChange({ deadline: d ? d.format('YYYY-MM-DD') : null })}
              data-testid="item-deadline"
            />
          </Form.Item>
        </Flex>
        <Form.Item label="目标指标">
          <Space orientation="vertical" style={{ width: '100%' }} size={6}>
            {item.targets.map((t, k) => (
              <Flex key={k} gap={6} wrap data-testid="item-target">
                <Input
                  placeholder="指标"
                  value={t.metric}
                  onChange={(e) => setTarget(k, { metric: e.target.value })}
                  style={{ flex: '2 1 140px' }}
                />
                <Select<Comparator>
                  value={t.comparator}
                  onChange={(comparator) => setTarget(k, { comparator })}
                  options={COMPARATORS}
                  style={{ flex: '1 1 120px' }}
                />
                <Input
                  placeholder={t.comparator === 'range' ? '如 1-2' : '数值'}
                  value={String(t.value)}
                  onChange={(e) => {
                    const v = e.target.value.trim();
                    setTarget(k, {
                      value: /^-?\d+(\.\d+)?$/.test(v) && t.comparator !== 'range' ? Number(v) : v,
                    });
                  }}
                  style={{ flex: '1 1 80px' }}
                />
                <Input
                  placeholder="单位"
                  value={t.unit ?? ''}
                  onChange={(e) => setTarget(k, { unit: e.target.value.trim() || null })}
                  style={{ flex: '1 1 80px' }}
                />
                <Button
                  icon={<DeleteOutlined />}
                  aria-label="删除指标"
                  onClick={() => onChange({ targets: item.targets.filter((_, j) => j !== k) })}
                />
              </Flex>
            ))}
            <Button
              size="small"
              icon={<PlusOutlined />}
              onClick={() =>
                onChange({
                  targets: [...item.targets, { metric: '', comparator: '>=', value: '', unit: null }],
                })
              }
            >
              添加指标
            </Button>
          </Space>
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item
            label="牵头单位"
            style={{ flex: '1 1 200px' }}
            validateStatus={item.leadUnitId ? undefined : 'warning'}
          >
            <TreeSelect
              value={item.leadUnitId ?? undefined}
              onChange={(v: string | undefined) =>
                onChange({ leadUnitId: v ?? null, ownerId: v === item.leadUnitId ? item.ownerId : null })
              }
              treeData={unitTree}
              treeDefaultExpandAll
              showSearch={{ treeNodeFilterProp: 'title' }}
              allowClear
              placeholder="选择牵头单位"
              data-testid="item-lead-unit"
            />
          </Form.Item>
          <Form.Item label="配合单位" style={{ flex: '1 1 200px' }}>
            <TreeSelect
              multiple
              value={item.coUnitIds}
              onChange={(v: string[]) => onChange({ coUnitIds: v })}
              treeData={unitTree}
              treeDefaultExpandAll
              showSearch={{ treeNodeFilterProp: 'title' }}
              placeholder="可多选"
            />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item
            label="责任领导"
            style={{ flex: '1 1 160px' }}
            validateStatus={item.responsibleLeaderId ? undefined : 'warning'}
          >
            <Select
              value={item.responsibleLeaderId ?? undefined}
              onChange={(v: string | undefined) => onChange({ responsibleLeaderId: v ?? null })}
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder="选择局领导"
              options={leaderOptions(leaders)}
              data-testid="item-leader"
            />
          </Form.Item>
          <Form.Item label="责任人" style={{ flex: '1 1 160px' }}>
            <Select
              value={item.ownerId ?? undefined}
              onChange={(v: string | undefined) => onChange({ ownerId: v ?? null })}
              allowClear
              disabled={!item.leadUnitId}
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={item.leadUnitId ? '牵头单位的人员' : '先选牵头单位'}
              options={owners.map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
        </Flex>
      </Form>
    </div>
  );
}

/**
 * The report with every item's words clickable and the selected item's span in a <mark>, scrolled into view
 * inside the pane (not the page).
 */
function SourcePane(props: {
  source: string;
  sections: DraftSection[];
  selected: ItemPath | null;
  onSelect: (p: ItemPath) => void;
}) {
  const { source, sections, selected } = props;
  const pane = useRef<HTMLDivElement>(null);
  const mark = useRef<HTMLElement>(null);
  const pieces = useMemo(() => {
    const spans: { from: number; to: number; p: ItemPath }[] = [];
    sections.forEach((sec, s) =>
      sec.tasks.forEach((task, t) =>
        task.items.forEach((it, i) => {
          if (it.span && it.span[1] > it.span[0])
            spans.push({ from: it.span[0], to: it.span[1], p: { s, t, i } });
        }),
      ),
    );
    spans.sort((a, b) => a.from - b.from);
    const out: { from: number; to: number; p: ItemPath | null }[] = [];
    let at = 0;
    for (const sp of spans) {
      const from = Math.max(sp.from, at);
      if (sp.to <= from) continue;
      if (from > at) out.push({ from: at, to: from, p: null });
      out.push({ from, to: sp.to, p: sp.p });
      at = sp.to;
    }
    if (at < source.length) out.push({ from: at, to: source.length, p: null });
    return out;
  }, [sections, source]);
  const key = selected ? pathKey(selected) : null;

  useLayoutEffect(() => {
    const box = pane.current;
    const m = mark.current;
    if (!box || !m || !key) return;
    const top = m.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    box.scrollTo({ top: Math.max(0, top - box.clientHeight / 4) });
  }, [key]);

  return (
    <div className="draft-source" ref={pane} data-testid="draft-source" aria-label="报告原文">
      {pieces.map((piece, k) => {
        const text = source.slice(piece.from, piece.to);
        if (!piece.p) return <Fragment key={k}>{text}</Fragment>;
        const p = piece.p;
        if (pathKey(p) === key)
          return (
            <mark key={k} ref={mark} data-testid="draft-source-mark">
              {text}
            </mark>
          );
        return (
          <span
            key={k}
            className="draft-source-item"
            onClick={() => props.onSelect(p)}
            title="点击选中此事项"
          >
            {text}
          </span>
        );
      })}
    </div>
  );
}

function BulkDialog(props: {
  scope: 'task' | 'section' | 'all';
  name: string;
  units: Unit[];
  users: User[];
  onCancel: () => void;
  onOk: (v: { leadUnitId?: string; leaderId?: string; deadline?: string }) => void;
}) {
  const [form] = Form.useForm<{ leadUnitId?: string; leaderId?: string; deadline?: dayjs.Dayjs }>();
  const leaders = props.users.filter((u) => u.active && u.roles.includes('leader'));
  return (
    <Modal
      open
      title={`批量设置：${props.name}`}
      okText="应用"
      cancelText="取消"
      onCancel={props.onCancel}
      onOk={() => {
        const v = form.getFieldsValue();
        props.onOk({
          leadUnitId: v.leadUnitId,
          leaderId: v.leaderId,
          deadline: v.deadline?.format('YYYY-MM-DD'),
        });
      }}
      okButtonProps={{ 'data-testid': 'bulk-ok' } as ButtonProps}
    >
      <Form form={form} layout="vertical">
        <Form.Item label="牵头单位" name="leadUnitId" extra="留空则不改">
          <TreeSelect
            treeData={unitOptions(props.units)}
            treeDefaultExpandAll
            showSearch={{ treeNodeFilterProp: 'title' }}
            allowClear
            placeholder="选择牵头单位"
            data-testid="bulk-lead-unit"
          />
        </Form.Item>
        <Form.Item label="责任领导" name="leaderId" extra="留空则不改">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="选择局领导"
            options={leaderOptions(leaders)}
            data-testid="bulk-leader"
          />
        </Form.Item>
        <Form.Item label="完成时限" name="deadline" extra="只填给尚无完成时限的事项">
          <DatePicker style={{ width: '100%' }} data-testid="bulk-deadline" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function PublishDialog(props: {
  year: number;
  title: string;
  onCancel: () => void;
  publish: (v: { planId?: string; title?: string }) => Promise<void>;
}) {
  const [mode, setMode] = useState<'new' | 'existing'>('new');
  const [title, setTitle] = useState(props.title);
  const [planId, setPlanId] = useState<string>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title="发布计划"
      okText="发布"
      cancelText="取消"
      confirmLoading={busy}
      onCancel={props.onCancel}
      okButtonProps={{ disabled: mode === 'existing' && !planId, 'data-testid': 'publish-ok' } as ButtonProps}
      onOk={async () => {
        setBusy(true);
        setError(null);
        try {
          await props.publish(mode === 'new' ? { title: title.trim() || undefined } : { planId });
        } catch (e) {
          setError(
            e instanceof ApiError && e.status === 409 ? '草稿已被他人修改，请刷新' : (e as Error).message,
          );
        } finally {
          setBusy(false);
        }
      }}
    >
      <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as 'new' | 'existing')}>
        <Radio value="new">发布为新计划</Radio>
        <Radio value="existing">添加到已有计划</Radio>
      </Radio.Group>
      <div style={{ marginTop: 16 }}>
        {mode === 'new' ? (
          <Form layout="vertical">
            <Form.Item label={`计划标题（${props.year} 年）`}>
              <Input
                value={title}
                onChange={(e) => setTitle(e.target.value)}
                maxLength={200}
                data-testid="publish-title"
              />
            </Form.Item>
          </Form>
        ) : (
          <PlanPicker value={planId} onChange={setPlanId} />
        )}
      </div>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        全部事项一次写入：有任何事项缺少牵头单位、责任领导或完成时限时，不写入任何内容并列出缺项。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}

/** 局领导 as a Select's options: "李明（副局长…）". */
function leaderOptions(leaders: { id: string; name: string; title?: string | null }[]) {
  return leaders.map((u) => ({ value: u.id, label: u.title ? `${u.name}（${u.title}）` : u.name }));
}
