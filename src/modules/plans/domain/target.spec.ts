import { formatTarget, formatTargets, parseTargets, rangeBounds } from './target';
import type { TargetSpec } from './types';

function spec(partial: Partial<TargetSpec> & Pick<TargetSpec, 'metric' | 'value' | 'unit'>): TargetSpec {
  return {
    comparator: '>=',
    valueText: partial.value === null ? 'x.x' : String(partial.value),
    direction: 'increase',
    ...partial,
  };
}

/** Parses text that must be readable, failing the test with the parser's own message otherwise. */
function targetsOf(text: string): TargetSpec[] {
  const result = parseTargets(text);
  if ('error' in result) throw new Error(result.error);
  return result.targets;
}

describe('formatTarget', () => {
  it('writes metric, comparator symbol, value and unit separated by spaces', () => {
    expect(formatTarget(spec({ metric: '拆除违法建设', value: 1.5, unit: '万平方米' }))).toBe(
      '拆除违法建设 ≥ 1.5 万平方米',
    );
    expect(
      formatTarget(spec({ metric: '新开工生活垃圾焚烧发电项目', comparator: '=', value: 2, unit: '个' })),
    ).toBe('新开工生活垃圾焚烧发电项目 = 2 个');
  });

  it('writes the redaction placeholder where the value is unknown', () => {
    expect(
      formatTarget(spec({ metric: '违法建设拆除', value: null, valueText: 'x.x', unit: '万平方米' })),
    ).toBe('违法建设拆除 ≥ x.x 万平方米');
  });

  it('marks the baseline and a decreasing target', () => {
    expect(
      formatTarget(
        spec({
          metric: '案件积压',
          comparator: '<=',
          value: 60,
          unit: '件',
          baseline: 120,
          direction: 'decrease',
        }),
      ),
    ).toBe('案件积压 ≤ 60 件（基数 120）（减少类）');
  });

  it('marks an increasing ≤ target, which would otherwise read back as decrease', () => {
    expect(formatTarget(spec({ metric: '新增临时停车泊位', comparator: '<=', value: 500, unit: '个' }))).toBe(
      '新增临时停车泊位 ≤ 500 个（增加类）',
    );
  });

  it('keeps % next to its number and omits a missing unit', () => {
    expect(formatTarget(spec({ metric: '生活垃圾回收利用率', value: 35, unit: '%' }))).toBe(
      '生活垃圾回收利用率 ≥ 35%',
    );
    expect(formatTarget(spec({ metric: '群众满意度测评得分', value: 90, unit: '' }))).toBe(
      '群众满意度测评得分 ≥ 90',
    );
  });

  it('joins several targets with a full-width semicolon', () => {
    expect(
      formatTargets([
        spec({ metric: '拆除违法建设', value: 1.5, unit: '万平方米' }),
        spec({ metric: '新建公厕', value: 10, unit: '座' }),
      ]),
    ).toBe('拆除违法建设 ≥ 1.5 万平方米；新建公厕 ≥ 10 座');
    expect(formatTargets([])).toBe('');
  });
});

describe('parseTargets reads back what formatTargets writes', () => {
  const cases: [string, TargetSpec[]][] = [
    ['nothing', []],
    ['a plain increase', [spec({ metric: '拆除违法建设', value: 1.5, unit: '万平方米' })]],
    [
      'an exact count',
      [spec({ metric: '新开工生活垃圾焚烧发电项目', comparator: '=', value: 2, unit: '个' })],
    ],
    [
      'redacted values of every placeholder shape',
      [
        spec({ metric: '违法建设拆除', value: null, valueText: 'x.x', unit: '万平方米' }),
        spec({ metric: '新建公厕', value: null, valueText: 'xx', unit: '座' }),
        spec({ metric: '整治背街小巷', value: null, valueText: 'xxx', unit: '条' }),
        spec({ metric: '新增停车泊位', comparator: '=', value: null, valueText: 'x', unit: '个' }),
      ],
    ],
    [
      'a decrease with baseline',
      [
        spec({
          metric: '案件积压',
          comparator: '<=',
          value: 60,
          unit: '件',
          baseline: 120,
          direction: 'decrease',
        }),
      ],
    ],
    [
      'a decrease stated as an amount to cut',
      [spec({ metric: '道路扬尘投诉下降', comparator: '>=', value: 10, unit: '%', direction: 'decrease' })],
    ],
    [
      'an increasing ≤ target and a baseline on an increase',
      [
        spec({ metric: '新增临时停车泊位', comparator: '<=', value: 500, unit: '个' }),
        spec({ metric: '生活垃圾回收利用率', value: 38.5, unit: '%', baseline: 35 }),
      ],
    ],
    [
      'metrics holding digits, brackets and an unknown unit',
      [
        spec({ metric: '2022年新建5G智慧灯杆', value: 1200, unit: '根' }),
        spec({
          metric: 'PM2.5年均浓度（城区）',
          comparator: '<=',
          value: 35,
          unit: '微克/立方米',
          direction: 'decrease',
        }),
        spec({ metric: '清运建筑垃圾', value: 0.25, unit: '万吨' }),
      ],
    ],
  ];

  it.each(cases)('%s', (_name, list) => {
    expect(parseTargets(formatTargets(list))).toStrictEqual({ targets: list });
  });
});

describe('parseTargets reads the phrasings of plan sheets', () => {
  it('reads >=, <=, ＝ and full-width digits', () => {
    expect(targetsOf('拆除违法建设>=１．５万平方米；积压案件<=10件；新建公厕＝３座')).toEqual([
      spec({ metric: '拆除违法建设', value: 1.5, unit: '万平方米' }),
      spec({ metric: '积压案件', comparator: '<=', value: 10, unit: '件', direction: 'decrease' }),
      spec({ metric: '新建公厕', comparator: '=', value: 3, unit: '座' }),
    ]);
  });

  it('reads 不少于 and 不低于 as ≥', () => {
    expect(targetsOf('整治背街小巷不少于20条\n生活垃圾回收利用率不低于35％')).toEqual([
      spec({ metric: '整治背街小巷', value: 20, unit: '条' }),
      spec({ metric: '生活垃圾回收利用率', value: 35, unit: '%' }),
    ]);
  });

  it('reads a trailing 以上 as ≥', () => {
    expect(targetsOf('拆除违法建设1.5万平方米以上')).toEqual([
      spec({ metric: '拆除违法建设', value: 1.5, unit: '万平方米' }),
    ]);
  });

  it('reads 不超过, 控制在 and 以内 as ≤, which defaults to decrease', () => {
    expect(targetsOf('新增违建不超过0宗;积压案件控制在10件以内;投诉量50件以内')).toEqual([
      spec({ metric: '新增违建', comparator: '<=', value: 0, unit: '宗', direction: 'decrease' }),
      spec({ metric: '积压案件', comparator: '<=', value: 10, unit: '件', direction: 'decrease' }),
      spec({ metric: '投诉量', comparator: '<=', value: 50, unit: '件', direction: 'decrease' }),
    ]);
  });

  it('lets （增加类） override the decrease that ≤ implies', () => {
    expect(targetsOf('新增临时停车泊位控制在500个以内（增加类）')).toEqual([
      spec({ metric: '新增临时停车泊位', comparator: '<=', value: 500, unit: '个' }),
    ]);
  });

  it('reads a bare figure as "=" and normalizes the unit', () => {
    expect(targetsOf('新开工生活垃圾焚烧发电项目2个；绿化提升3200㎡')).toEqual([
      spec({ metric: '新开工生活垃圾焚烧发电项目', comparator: '=', value: 2, unit: '个' }),
      spec({ metric: '绿化提升', comparator: '=', value: 3200, unit: '平方米' }),
    ]);
  });

  it('takes the last number as the figure, keeping digits in the metric and short unknown units', () => {
    expect(targetsOf('建成5G基站100个；更新LED路灯200盏')).toEqual([
      spec({ metric: '建成5G基站', comparator: '=', value: 100, unit: '个' }),
      spec({ metric: '更新LED路灯', comparator: '=', value: 200, unit: '盏' }),
    ]);
  });

  it('reads redacted placeholders and keeps their text', () => {
    expect(targetsOf('违法建设拆除x.x万平方米以上；新建公厕ＸＸ座')).toEqual([
      spec({ metric: '违法建设拆除', value: null, valueText: 'x.x', unit: '万平方米' }),
      spec({ metric: '新建公厕', comparator: '=', value: null, valueText: 'XX', unit: '座' }),
    ]);
  });

  it('converts a baseline written in another unit into the target unit', () => {
    expect(targetsOf('拆除违法建设 ≥ 1.5 万平方米（基数 8000 平方米）')).toEqual([
      spec({ metric: '拆除违法建设', value: 1.5, unit: '万平方米', baseline: 0.8 }),
    ]);
  });

  it('records a redacted baseline as null', () => {
    expect(targetsOf('案件积压 ≤ 60 件（基数 xx）')).toEqual([
      spec({
        metric: '案件积压',
        comparator: '<=',
        value: 60,
        unit: '件',
        baseline: null,
        direction: 'decrease',
      }),
    ]);
  });

  it('reads thousands separators and drops trailing punctuation and a colon after the metric', () => {
    expect(targetsOf('拆违面积：≥ 12,500 平方米。')).toEqual([
      spec({ metric: '拆违面积', value: 12500, unit: '平方米' }),
    ]);
  });

  it('treats blank text as no targets', () => {
    expect(parseTargets('')).toEqual({ targets: [] });
    expect(parseTargets(' \n ；　')).toEqual({ targets: [] });
  });
});

describe('parseTargets explains what it cannot read', () => {
  it('names the fragment without a number', () => {
    expect(parseTargets('拆除违法建设 ≥ 1.5 万平方米；持续开展市容整治')).toEqual({
      error:
        '第2条量化指标“持续开展市容整治”无法识别，应写成“指标名称 ≥ 数值 单位”，例如“拆除违法建设 ≥ 1.5 万平方米”',
    });
  });

  it('rejects a target without a metric', () => {
    expect(parseTargets('≥ 10 个')).toEqual({
      error:
        '第1条量化指标“≥ 10 个”缺少指标名称，应写成“指标名称 ≥ 数值 单位”，例如“拆除违法建设 ≥ 1.5 万平方米”',
    });
  });

  it('rejects a bare number that is part of the wording, not a figure', () => {
    expect('error' in parseTargets('完成2022年度拆违任务')).toBe(true);
  });

  it('rejects contradicting comparators', () => {
    expect(parseTargets('积压案件不少于10件以内')).toEqual({
      error: '第1条量化指标“积压案件不少于10件以内”的比较方式前后矛盾',
    });
  });

  it('rejects a baseline in a unit that cannot be converted', () => {
    expect(parseTargets('拆除违法建设 ≥ 1.5 万平方米（基数 20 处）')).toEqual({
      error:
        '第1条量化指标“拆除违法建设 ≥ 1.5 万平方米（基数 20 处）”的基数单位“处”与指标单位“万平方米”不一致',
    });
  });

  it('rejects an unrecognized remark in brackets rather than taking it for a unit', () => {
    expect('error' in parseTargets('新建公厕 ≥ 10 座（含改建）')).toBe(true);
  });

  it('rejects conflicting direction marks', () => {
    expect(parseTargets('案件积压 ≤ 60 件（减少类）（增加类）')).toEqual({
      error: '第1条量化指标“案件积压 ≤ 60 件（减少类）（增加类）”重复标注了增减类型',
    });
  });
});

describe('range targets (区间指标)', () => {
  const range = (
    lower: number | null,
    upper: number | null,
    unit = '个',
    metric = '新增实施垃圾分类街道',
  ): TargetSpec => ({
    metric,
    comparator: 'range',
    value: lower,
    valueText: lower === null ? 'x' : String(lower),
    upper,
    upperText: upper === null ? 'x' : String(upper),
    unit,
    direction: 'increase',
  });

  it('formats both bounds with a full-width tilde, redactions kept as written', () => {
    expect(formatTarget(range(1, 2))).toBe('新增实施垃圾分类街道 1～2 个');
    expect(formatTarget(range(null, null, '个', '每月集中研讨课题'))).toBe('每月集中研讨课题 x～x 个');
    expect(formatTarget(range(90, 95, '%', '达标率'))).toBe('达标率 90～95%');
  });

  it('reads its own format back unchanged', () => {
    for (const t of [
      range(1, 2),
      range(null, null, '条', '整治主次干道'),
      range(1.5, null, '万平方米'),
      range(90, 95, '%'),
    ]) {
      expect(targetsOf(formatTarget(t))).toEqual([t]);
      expect(formatTargets(targetsOf(formatTargets([t, t])))).toBe(formatTargets([t, t]));
    }
  });

  it('reads the ways the plans write a range', () => {
    for (const text of [
      '新增实施垃圾分类街道1-2个',
      '新增实施垃圾分类街道1至2个',
      '新增实施垃圾分类街道1到2个',
      '新增实施垃圾分类街道 1～2 个',
      '新增实施垃圾分类街道１～２个',
    ]) {
      expect(targetsOf(text)).toEqual([range(1, 2)]);
    }
    expect(targetsOf('每月集中研讨课题x-x个')).toEqual([range(null, null, '个', '每月集中研讨课题')]);
  });

  it('keeps a single value with a hyphen-free metric a single value', () => {
    expect(targetsOf('新开工项目2个')).toEqual([
      { metric: '新开工项目', comparator: '=', value: 2, valueText: '2', unit: '个', direction: 'increase' },
    ]);
  });

  it('refuses a lower bound above the upper one, in Chinese', () => {
    const result = parseTargets('新增实施垃圾分类街道 3～2 个');
    expect(result).toEqual({ error: expect.stringContaining('下限 3 大于上限 2') as unknown });
  });

  it('refuses a range with a comparison word or marked as decreasing', () => {
    expect(parseTargets('新增街道1至2个以上')).toEqual({
      error: expect.stringContaining('区间指标') as unknown,
    });
    expect(parseTargets('新增街道1至2个（减少类）')).toEqual({
      error: expect.stringContaining('只能是增加类') as unknown,
    });
  });
});

describe('rangeBounds', () => {
  it('reads a range written alone, redactions kept as text', () => {
    expect(rangeBounds('1-2')).toEqual({ value: 1, valueText: '1', upper: 2, upperText: '2' });
    expect(rangeBounds('1至2')).toEqual({ value: 1, valueText: '1', upper: 2, upperText: '2' });
    expect(rangeBounds('１～２')).toEqual({ value: 1, valueText: '1', upper: 2, upperText: '2' });
    expect(rangeBounds('x-x')).toEqual({ value: null, valueText: 'x', upper: null, upperText: 'x' });
  });

  it('is null for a single value, other text or an inverted range', () => {
    expect(rangeBounds('2')).toBeNull();
    expect(rangeBounds('x.x')).toBeNull();
    expect(rangeBounds('3-2')).toBeNull();
  });
});
