/**
 * The named things of the demo zone: its seven areas, thirteen parks and three corridors (from the
 * zone's 2017 plan, DOMAIN.md), with the land-use and industry codes each one is built around.
 * Codes must exist in the migrations' land_use_class and industry_class tables.
 */

/** GB 50137-2011 classes the generator uses (a subset of land_use_class). */
export type LandUse = 'M1' | 'M2' | 'W1' | 'B1' | 'B2' | 'A1' | 'A3' | 'A5' | 'R2' | 'G1' | 'U1' | 'S4';

/** A range of grid cells, both ends included: columns west → east, rows south → north. */
export interface CellRange { cols: [number, number]; rows: [number, number] }

export interface AreaDef {
  code: string;
  name: string;
  name_en: string;
  cells: CellRange[];
}

export interface ParkDef {
  code: string;
  name: string;
  name_en: string;
  theme: string;
  /** GB/T 4754 divisions the park is built around (park.theme_industries). */
  industries: string[];
  operator: string;
  committee: string;
  area: string;
  cells: CellRange[];
  /** Share of the park's blocks zoned for each land use. */
  landUse: Partial<Record<LandUse, number>>;
}

export const AREAS: AreaDef[] = [
  { code: 'A01', name: '蓼河新区', name_en: 'Liaohe New District', cells: [{ cols: [0, 3], rows: [1, 5] }] },
  { code: 'A02', name: '吟龙新城', name_en: 'Yinlong New Town', cells: [{ cols: [0, 5], rows: [6, 8] }] },
  { code: 'A03', name: '创智广场', name_en: 'Chuangzhi Innovation Plaza', cells: [{ cols: [4, 6], rows: [3, 5] }] },
  { code: 'A04', name: '崇文片区', name_en: 'Chongwen Area', cells: [{ cols: [4, 6], rows: [0, 2] }] },
  {
    code: 'A05', name: '三贾片区', name_en: 'Sanjia Area',
    cells: [{ cols: [7, 11], rows: [1, 3] }, { cols: [7, 10], rows: [0, 0] }],
  },
  {
    code: 'A06', name: '杨家河片区', name_en: 'Yangjiahe Area',
    cells: [{ cols: [6, 11], rows: [6, 8] }, { cols: [7, 11], rows: [4, 5] }],
  },
  { code: 'A07', name: '洸河中学片区', name_en: 'Guanghe Middle School Area', cells: [{ cols: [0, 3], rows: [0, 0] }] },
];

const committee = (office: string) => `济宁高新技术产业开发区管理委员会${office}`;

export const PARKS: ParkDef[] = [
  {
    code: 'P01', name: '国家检验检测认证公共服务平台示范区',
    name_en: 'National Inspection, Testing and Certification Public Service Platform Demonstration Zone',
    theme: '检验检测认证', industries: ['M74', 'M73', 'M75'],
    operator: '济宁高新区检验检测产业发展有限公司', committee: committee('检验检测认证示范区服务中心'),
    area: 'A04', cells: [{ cols: [4, 6], rows: [0, 2] }],
    landUse: { M1: 0.4, B2: 0.3, A3: 0.2, U1: 0.05, G1: 0.05 },
  },
  {
    code: 'P02', name: '生物医药产业园', name_en: 'Biomedicine Industrial Park',
    theme: '生物医药与医疗器械', industries: ['C27', 'M73', 'C35', 'C40'],
    operator: '济宁高新区生物医药产业园运营有限公司', committee: committee('生物医药产业园服务中心'),
    area: 'A01', cells: [{ cols: [0, 1], rows: [1, 3] }],
    landUse: { M2: 0.45, M1: 0.3, A3: 0.1, B2: 0.05, U1: 0.05, G1: 0.05 },
  },
  {
    code: 'P03', name: '大数据产业园', name_en: 'Big Data Industrial Park',
    theme: '大数据与云计算', industries: ['I65', 'I64', 'I63'],
    operator: '济宁高新区大数据产业发展有限公司', committee: committee('大数据产业园服务中心'),
    area: 'A03', cells: [{ cols: [4, 6], rows: [3, 5] }],
    landUse: { M1: 0.3, B2: 0.4, B1: 0.15, U1: 0.08, G1: 0.07 },
  },
  {
    code: 'P04', name: '综合保税区', name_en: 'Jining Comprehensive Bonded Zone',
    theme: '保税物流与加工贸易', industries: ['G59', 'F51', 'G58', 'C39'],
    operator: '济宁综合保税区开发建设有限公司', committee: '济宁综合保税区管理委员会',
    area: 'A05', cells: [{ cols: [9, 11], rows: [1, 3] }],
    landUse: { W1: 0.5, M1: 0.3, B2: 0.1, S4: 0.05, U1: 0.05 },
  },
  {
    code: 'P05', name: '人力资源产业园', name_en: 'Human Resources Industrial Park',
    theme: '人力资源服务', industries: ['L72', 'M75', 'P'],
    operator: '济宁人力资源产业园运营管理有限公司', committee: committee('人力资源产业园服务中心'),
    area: 'A02', cells: [{ cols: [0, 2], rows: [6, 8] }],
    landUse: { B2: 0.5, B1: 0.2, R2: 0.15, A1: 0.05, G1: 0.1 },
  },
  {
    code: 'P06', name: '新材料产业园', name_en: 'New Materials Industrial Park',
    theme: '化工新材料与先进无机材料', industries: ['C26', 'C29', 'C30'],
    operator: '济宁高新区新材料产业园发展有限公司', committee: committee('新材料产业园服务中心'),
    area: 'A01', cells: [{ cols: [2, 3], rows: [1, 3] }],
    landUse: { M2: 0.6, M1: 0.25, W1: 0.05, U1: 0.05, G1: 0.05 },
  },
  {
    code: 'P07', name: '高端装备制造产业园', name_en: 'High-end Equipment Manufacturing Park',
    theme: '工程机械与智能装备', industries: ['C34', 'C35', 'C38'],
    operator: '济宁高新区装备制造产业园运营有限公司', committee: committee('高端装备产业园服务中心'),
    area: 'A05', cells: [{ cols: [7, 8], rows: [1, 3] }],
    landUse: { M1: 0.45, M2: 0.35, W1: 0.1, U1: 0.05, G1: 0.05 },
  },
  {
    code: 'P08', name: '新能源汽车产业园', name_en: 'New Energy Vehicle Industrial Park',
    theme: '新能源汽车及零部件', industries: ['C36', 'C38', 'C33'],
    operator: '济宁高新区新能源汽车产业园发展有限公司', committee: committee('新能源汽车产业园服务中心'),
    area: 'A06', cells: [{ cols: [6, 8], rows: [6, 8] }, { cols: [7, 8], rows: [4, 5] }],
    landUse: { M1: 0.4, M2: 0.4, W1: 0.1, S4: 0.05, G1: 0.05 },
  },
  {
    code: 'P09', name: '创客空间与科技孵化园', name_en: 'Maker Space and Technology Incubation Park',
    theme: '科技企业孵化与众创空间', industries: ['M75', 'M73', 'I65'],
    operator: '济宁高新区科技创业服务中心有限公司', committee: committee('科技创业服务中心'),
    area: 'A02', cells: [{ cols: [3, 5], rows: [6, 7] }],
    landUse: { B2: 0.45, M1: 0.25, A3: 0.15, B1: 0.1, G1: 0.05 },
  },
  {
    code: 'P10', name: '电子信息产业园', name_en: 'Electronic Information Industrial Park',
    theme: '电子元器件与智能终端', industries: ['C39', 'C38', 'C40'],
    operator: '济宁高新区电子信息产业园运营有限公司', committee: committee('电子信息产业园服务中心'),
    area: 'A06', cells: [{ cols: [9, 11], rows: [4, 8] }],
    landUse: { M1: 0.65, B2: 0.15, W1: 0.1, U1: 0.05, G1: 0.05 },
  },
  {
    code: 'P11', name: '纺织新纤维产业园', name_en: 'Textile and New Fibre Industrial Park',
    theme: '功能性纤维与产业用纺织品', industries: ['C17', 'C29', 'C26'],
    operator: '济宁高新区纺织新材料产业园有限公司', committee: committee('纺织新纤维产业园服务中心'),
    area: 'A01', cells: [{ cols: [0, 2], rows: [4, 5] }],
    landUse: { M2: 0.55, M1: 0.3, W1: 0.1, G1: 0.05 },
  },
  {
    code: 'P12', name: '现代物流园', name_en: 'Modern Logistics Park',
    theme: '多式联运与冷链物流', industries: ['G58', 'G59', 'F51'],
    operator: '济宁高新区现代物流园开发有限公司', committee: committee('现代物流园服务中心'),
    area: 'A05', cells: [{ cols: [7, 10], rows: [0, 0] }],
    landUse: { W1: 0.7, S4: 0.1, M1: 0.1, B1: 0.05, U1: 0.05 },
  },
  {
    code: 'P13', name: '软件与服务外包园', name_en: 'Software and Service Outsourcing Park',
    theme: '软件开发与信息技术外包', industries: ['I65', 'I64', 'L72'],
    operator: '济宁高新区软件园发展有限公司', committee: committee('软件与服务外包园服务中心'),
    area: 'A07', cells: [{ cols: [0, 3], rows: [0, 0] }],
    landUse: { B2: 0.6, B1: 0.15, A3: 0.15, G1: 0.1 },
  },
];

/** Land use of the blocks no park covers: the new town's homes, schools and shops. */
export const OUTSIDE_PARKS_LAND_USE: Partial<Record<LandUse, number>> = {
  R2: 0.5, A3: 0.15, B1: 0.15, A5: 0.05, G1: 0.1, S4: 0.05,
};

/**
 * Parcels per hectare of each land use, relative: they decide how many parcels a block is cut into,
 * so industrial and logistics plots come out large and shops and offices small.
 */
export const PARCEL_DENSITY: Record<LandUse, number> = {
  M1: 1.0, M2: 0.8, W1: 0.7, B1: 3.0, B2: 2.4, A1: 1.5, A3: 0.8, A5: 1.0, R2: 1.3, G1: 0.6, U1: 2.0, S4: 1.0,
};

export interface CorridorDef { code: string; name: string; name_en: string; theme: string }

export const CORRIDORS: CorridorDef[] = [
  { code: 'C-HAICHUAN', name: '海川路TBD走廊', name_en: 'Haichuan Road TBD Corridor', theme: '科技商务区（TBD）：总部经济、科技金融与商务服务' },
  { code: 'C-XIPU', name: '西浦路产业走廊', name_en: 'Xipu Road Industrial Corridor', theme: '先进制造业集聚带' },
  { code: 'C-LIAOHE', name: '蓼河生态走廊', name_en: 'Liao River Ecological Corridor', theme: '滨水生态、休闲与科创配套' },
];

/** Divisions used for land users and tenants, by what they do on the land. */
export const SUPPORT_INDUSTRIES = {
  office: ['L72', 'I65', 'M75', 'J66', 'F51', 'K', 'M74'],
  warehouse: ['G59', 'G58', 'F51'],
  retail: ['F52', 'H', 'O', 'J66'],
  lab: ['M73', 'M74', 'C27', 'C39'],
  workshop: ['C34', 'C35', 'C38', 'C39', 'C33', 'C29', 'C40'],
  residential: ['K'],
  education: ['M73', 'P', 'M74'],
  health: ['Q'],
  administration: ['L72'],
  utility: ['D44', 'D'],
  transport: ['G58', 'G'],
  green: ['N'],
} as const;
