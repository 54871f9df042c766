/**
 * Table-driven: real sentences of the two source documents (seeds/data/source-documents/), each with the
 * cadence, deadline, targets and units expected by reading it (decisions: the table in phrases.spec.ts).
 * Targets are [metric, comparator, value, unit]; units are [name as written, matched unit id or null].
 */
import { analyseItem } from './phrases';
import { demoContext, sourceText } from './phrases.fixtures';

type Row = [
  org: 'xxs' | 'yueyang',
  sentence: string,
  cadence: string,
  deadline: string | null,
  targets: [string, string, number | string, string | null][],
  units: [string, string | null][],
];

const ROWS: Row[] = [
  [
    'xxs',
    '坚持局党组理论中心组学习研讨制度，认真学习党的最新理论知识，每月确定x-x个课题开展集中研讨。',
    'monthly',
    null,
    [['确定课题开展集中研讨', 'range', 'x-x', '个']],
    [],
  ],
  [
    'xxs',
    '举办宣传工作培训班，邀请专业结构，开展宣传工作业务指导，打通宣传工作“最后一公里”。',
    'once',
    null,
    [],
    [],
  ],
  [
    'xxs',
    '压紧压实党建工作责任，推进支部标准化建设，积极采取月督查、季考核的方式，建立常态化调度工作机制，着力解决支部党建弱化虚化等问题。',
    'monthly',
    null,
    [],
    [],
  ],
  [
    'xxs',
    '大力培育品牌党建常态意识，继续扩大“五型城管”党建品牌效应，各支部至少确定x个微创新、小改革特色党建品牌，切实以品牌促党建，以党建促工作。',
    'ongoing',
    null,
    [['各支部确定微创新、小改革特色党建品牌', '>=', 'x', '个']],
    [],
  ],
  [
    'xxs',
    '完成竹峰综合执法中队办公场所规范化建设，制定综合执法中队标准化建设评比细则，开展星级综合执法中队创建活动，不断推进综合执法中队向标准化、典范化升级。',
    'once',
    null,
    [],
    [
      ['竹峰综合执法中队', 'xxs.zhufeng-squad'],
      ['综合执法中队', null],
    ],
  ],
  [
    'xxs',
    '常态化推进文明城市建设，以“门前五包”为突破口，xx三个街道综合执法中队明确x-x条主次干道，建立常态管理工作机制，努力打造落实“门前五包”责任示范路段。',
    'ongoing',
    null,
    [['xx三个街道综合执法中队明确主次干道', 'range', 'x-x', '条']],
    [['街道综合执法中队', null]],
  ],
  [
    'xxs',
    '严格落实每周明确一天时间为集中整治日工作机制，深入开展市容市貌、不文明养犬、餐饮油烟、“三车”运输秩序等突出问题整治行动，切实以“绣花”功夫，助力我市建设更高质量全国文明城市、争创全国文明典范城市。',
    'weekly',
    null,
    [],
    [],
  ],
  [
    'xxs',
    '建立完善科学合理考核方案，压实网格员、环卫公司工作责任。',
    'ongoing',
    null,
    [],
    [['环卫公司', 'xxs.sanitation-co']],
  ],
  [
    'xxs',
    '完成“x.xx”洪灾积存垃圾无害化处置，推进大件生活垃圾处置项目和厨余垃圾收运处置城乡一体化。',
    'once',
    null,
    [],
    [],
  ],
  [
    'xxs',
    '会同街道办事处、住建部门建立商业广场、物管商业街环境卫生死角监管考核机制，指导物业高标准做好区域内环卫保洁。',
    'ongoing',
    null,
    [],
    [
      ['街道办事处', null],
      ['住建部门', 'xxs.ext-housing'],
    ],
  ],
  [
    'xxs',
    '修订《xx市户外广告管理办法》，分步实施户外广告详细性控制规划编制，优化审批标准和技术导则，探索广告中介超市服务。',
    'once',
    null,
    [],
    [],
  ],
  [
    'xxs',
    '强化城区户外广告管理，明确管理范围，细化工作职责，建立完善行政审批、属地中队监管、xx公司参与的“三位一体”全过程、全周期审批监管机制，调整优化城区设置不合理、功能重复使用广告位，规范LED显示屏和新形式广告位的设置管理，实施大型户外广告统一管理。',
    'ongoing',
    null,
    [],
    [
      ['属地中队', null],
      ['xx公司', null],
    ],
  ],
  ['xxs', '推进宁城路公共空间品质提升和xx东、xx北高速出入口周边形象提升工程。', 'once', null, [], []],
  ['xxs', '建立健全城区建筑垃圾规范化处置和资源化利用长效机制，完成项目一期建设。', 'ongoing', null, [], []],
  [
    'xxs',
    '按照“数字xx”总体建设规划方案（xxxx-xxxx年）要求，实施智慧城管二期项目建设，按照“六横四纵”的整体架构，建设门前五包管理系统、智慧控违监管系统、户外广告监管系统、餐饮油烟治理平台等多项专项应用，构建“x+N”的应用层级，提升城市管理应用水平。',
    'once',
    null,
    [],
    [],
  ],
  [
    'xxs',
    '严格按照《xx市“联合执法进小区”工作实施意见》要求，持续开展联合执法进小区行动，坚持常态、久久为功，每周排定整治计划，做到责任落实到位、问题处置到位、群众满意到位，打造“制度完善、管理有序、服务完善”的“xx样板”并全面推广。',
    'weekly',
    null,
    [],
    [],
  ],
  [
    'xxs',
    '督促乡镇、街道落实属地责任，严格按照相关规定做好砂石处置审批备案工作，重点做好xx工程以及市级重点工程项目砂石资源规范化管理。',
    'ongoing',
    null,
    [],
    [
      ['乡镇', null],
      ['街道', null],
    ],
  ],
  [
    'xxs',
    '主动服务xxxx年签约的年产xxx万套热卷弹簧项目，xxxx年签约的xx通鼎科技产业园建设项目和洛河净化产业园项目，确保尽快落地投产。',
    'once',
    null,
    [],
    [],
  ],
  ['xxs', '常态化开展扫黑除恶斗争，持续打好大气污染防治攻坚战。', 'ongoing', null, [], []],
  [
    'xxs',
    '持续深化“放管服”改革，简化行政审批流程，依托智慧城管平台，打通与x事通APP对接，开通户外广告、门头招牌、商业活动、建筑垃圾等审批事项和政策咨询服务，统一申报端口，进一步简化程序、优化服务、实化监管，努力实现“掌上办”“指尖办”，加快由“最多跑一次”向“一次不用跑”转变。',
    'ongoing',
    null,
    [],
    [],
  ],
  [
    'xxs',
    '落实《局领导信访接待日工作制度》，将每周三下午定为“领导信访接待日”，及时受理、及时办理、及时答复群众合理合法的利益诉求。',
    'weekly',
    null,
    [],
    [],
  ],
  [
    'xxs',
    '持续推进“八五”普法，拟定普法任务清单，多渠道、多形式开展综治宣传月、“x.xx”城市管理日、“x.xx”城管执法日和“xx.x”宪法日等法律法规宣传活动。',
    'ongoing',
    null,
    [],
    [],
  ],
  [
    'xxs',
    '每月开展一次集中学法活动，坚持领导干部带头学法、懂法、用法，邀请司法部门专家、法律顾问授课辅导。',
    'monthly',
    null,
    [],
    [['司法部门', null]],
  ],
  [
    'xxs',
    '组织新进人员申领执法证专门法和通用法培训考试，完成在编人员行政执法证件换证工作。',
    'once',
    null,
    [],
    [],
  ],
  ['xxs', '动态调整xxxx年权责清单、公共服务清单及中介服务清单。', 'ongoing', null, [], []],
  [
    'yueyang',
    '对现行的《岳阳市城市环境卫生设施管理办法》等14个规章和行政规范性文件进行清理,根据工作需要按程序进行废止、修改。',
    'ongoing',
    null,
    [['对现行的《岳阳市城市环境卫生设施管理办法》等规章和行政规范性文件进行清理', '=', 14, '个']],
    [],
  ],
  [
    'yueyang',
    '完成《岳阳市生活垃圾分类管理办法》《岳阳市城市照明管理办法》《岳阳市环境卫生设施管理办法》3部政府规章立法工作,报请市政府批准后施行。',
    'once',
    null,
    [
      [
        '《岳阳市生活垃圾分类管理办法》《岳阳市城市照明管理办法》《岳阳市环境卫生设施管理办法》政府规章立法工作',
        '=',
        3,
        '部',
      ],
    ],
    [],
  ],
  [
    'yueyang',
    '启动《岳阳市主城区停车设施专项规划》《岳阳市中心城区慢行系统专项规划》《岳阳市中心城区环卫设施专项规划》编制,完成《岳阳市建筑垃圾资源化利用专项规划》报批,均在年内发布施行。',
    'once',
    '2022-12-31',
    [],
    [],
  ],
  [
    'yueyang',
    '要改变“重规划编制、轻实施评估”的现状,采取自我评估和第三方评估结合的方式,对各类规划开展年度评估,对指标年度进展、主要任务落实、项目实施效果等进行逐一评估,边评估边完善,促进规划更好落实落地。',
    'annual',
    null,
    [],
    [],
  ],
  [
    'yueyang',
    '根据《城市容貌标准(GB50449-2008)》《岳阳市城市容貌标准》,加强城市容貌建设与管理。',
    'ongoing',
    null,
    [],
    [],
  ],
  [
    'yueyang',
    '保障3座生活垃圾焚烧发电厂正常运行,推进市城市生活垃圾焚烧发电项目(二期)、平江县生活垃圾焚烧发电项目建设;',
    'once',
    null,
    [['保障生活垃圾焚烧发电厂正常运行', '=', 3, '座']],
    [],
  ],
  [
    'yueyang',
    '深化示范片区建设,在南湖新区整区实施生活垃圾分类,在岳阳楼区、云溪区、君山区、岳阳经开区每区新增1至2个街道、城陵矶新港区新增20家企事业单位实施生活垃圾分类。',
    'ongoing',
    null,
    [
      ['岳阳楼区、云溪区、君山区、岳阳经开区每区新增街道', 'range', '1-2', '个'],
      ['城陵矶新港区新增企事业单位实施生活垃圾分类', '=', 20, '家'],
    ],
    [
      ['南湖新区', 'yueyang.nanhu'],
      ['岳阳楼区', 'yueyang.yueyanglou'],
      ['云溪区', 'yueyang.yunxi'],
      ['君山区', 'yueyang.junshan'],
      ['岳阳经开区', 'yueyang.jingkai'],
      ['城陵矶新港区', 'yueyang.chenglingji'],
    ],
  ],
  [
    'yueyang',
    '督导各燃气主管部门和燃气企业推进燃气设施建设,多方争取气源和开辟新气源,有效保障居民生活用气和企业经营用气。',
    'ongoing',
    null,
    [],
    [
      ['燃气主管部门', null],
      ['燃气企业', null],
    ],
  ],
  [
    'yueyang',
    '充分发挥市城管委统筹、协调、监督、考核等职能,不断创新考核方式,坚持用客观事实说话,一把尺子量到底,以考促管、以考促改,不搞“轮流坐庄”,让真干假干不一样、干多干少不一样、干好干坏不一样。',
    'ongoing',
    null,
    [],
    [['市城管委', null]],
  ],
  [
    'yueyang',
    '完成新组建局属事业单位岗位设置和班子配备,加强干部职工教育培训,通过公开选拔引进一批年轻干部,选树先进典型,着力建设高素质专业化干部队伍。',
    'once',
    null,
    [],
    [['局属事业单位', 'yueyang.institutions']],
  ],
  [
    'yueyang',
    '强化“四责协同”,全面落实党组织主体责任、党组织书记第一责任人责任、班子成员“一岗双责”和纪检监察部门监督责任,完善班子成员领导机制,一体推进党风廉政建设与城管业务工作。',
    'ongoing',
    null,
    [],
    [['纪检监察部门', null]],
  ],
  [
    'yueyang',
    '城管领域是去年第二轮中央环保督察关注的重点领域,也是问题反馈较多的领域,中央环保督察“回头看”的时间节点将到。',
    'ongoing',
    null,
    [],
    [],
  ],
  [
    'yueyang',
    '要强化扬尘管控,按期完成有关生活垃圾填埋场生态环境问题整改销号,对中央和省级环保督察、长江经济带生态环境警示片、市级督查等反馈的突出问题进行“回头看”,加强城市水体养护,消除生态环境污染。',
    'once',
    null,
    [],
    [],
  ],
  [
    'yueyang',
    '把纪律和规矩挺在前面,培土加固中央八项规定精神的堤坝,驰而不息纠“四风”树新风,坚决查处乱作为、不作为问题,严肃惩治顶风违纪收送红包礼金、违规吃喝、私设小钱柜、滥发津补贴等顽疾。',
    'ongoing',
    null,
    [],
    [],
  ],
];

describe('phrase rules over real sentences of the two reports', () => {
  const contexts = { xxs: demoContext('xxs'), yueyang: demoContext('yueyang') };
  const docs = { xxs: sourceText('xxs'), yueyang: sourceText('yueyang') };

  it('covers at least 30 sentences of both documents', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ROWS.map((r) => r[0]))).toEqual(new Set(['xxs', 'yueyang']));
  });

  it.each(ROWS)('%s: %s', (org, sentence, cadence, deadline, targets, units) => {
    expect(docs[org]).toContain(sentence);
    const phrases = analyseItem(sentence, contexts[org]);
    expect({
      cadence: phrases.cadence,
      deadline: phrases.deadline,
      targets: phrases.targets.map((t) => [t.metric, t.comparator, t.value, t.unit]),
      units: phrases.units.map((u, i) => [u, phrases.unitIds[i]]),
    }).toEqual({ cadence, deadline, targets, units });
  });
});
