/**
 * Word lists for believable Chinese (and English) company, person and project names. Companies are
 * named the usual way: place + brand + trade + legal form, e.g. 济宁瑞康生物医药有限公司.
 */
import type { Rng } from './prng.ts';

const BRAND_SYLLABLES: [string, string][] = [
  ['华', 'Hua'], ['瑞', 'Rui'], ['鑫', 'Xin'], ['鲁', 'Lu'], ['泰', 'Tai'], ['恒', 'Heng'], ['中', 'Zhong'],
  ['金', 'Jin'], ['宏', 'Hong'], ['博', 'Bo'], ['凯', 'Kai'], ['德', 'De'], ['康', 'Kang'], ['信', 'Xin'],
  ['天', 'Tian'], ['正', 'Zheng'], ['海', 'Hai'], ['远', 'Yuan'], ['圣', 'Sheng'], ['儒', 'Ru'], ['齐', 'Qi'],
  ['嘉', 'Jia'], ['安', 'An'], ['力', 'Li'], ['科', 'Ke'], ['源', 'Yuan'], ['明', 'Ming'], ['盛', 'Sheng'],
  ['运', 'Yun'], ['达', 'Da'], ['丰', 'Feng'], ['创', 'Chuang'], ['腾', 'Teng'], ['宇', 'Yu'], ['辰', 'Chen'],
  ['润', 'Run'], ['永', 'Yong'], ['昊', 'Hao'], ['峰', 'Feng'], ['祥', 'Xiang'], ['荣', 'Rong'], ['汇', 'Hui'],
  ['通', 'Tong'], ['立', 'Li'], ['智', 'Zhi'], ['航', 'Hang'], ['云', 'Yun'], ['伟', 'Wei'],
];

/** The trades a company name can carry, by GB/T 4754 code (division, else its section). */
const TRADES: Record<string, [string, string][]> = {
  C13: [['农产品加工', 'Agricultural Products'], ['粮油', 'Grain and Oil']],
  C14: [['食品', 'Foods'], ['健康食品', 'Health Foods']],
  C17: [['纺织', 'Textiles'], ['新纤维', 'New Fibre'], ['产业用纺织品', 'Technical Textiles']],
  C26: [['化工新材料', 'Chemical Materials'], ['精细化工', 'Fine Chemicals'], ['高分子材料', 'Polymer Materials']],
  C27: [['生物医药', 'Biopharmaceutical'], ['制药', 'Pharmaceutical'], ['生物科技', 'Biotechnology']],
  C29: [['橡塑', 'Rubber and Plastics'], ['塑胶制品', 'Plastic Products']],
  C30: [['新型建材', 'Building Materials'], ['特种陶瓷', 'Advanced Ceramics'], ['玻纤', 'Glass Fibre']],
  C33: [['金属制品', 'Metal Products'], ['精密铸造', 'Precision Casting']],
  C34: [['机械', 'Machinery'], ['液压', 'Hydraulics'], ['轴承', 'Bearings']],
  C35: [['智能装备', 'Intelligent Equipment'], ['重工', 'Heavy Industry'], ['医疗器械', 'Medical Devices']],
  C36: [['汽车零部件', 'Auto Parts'], ['新能源汽车', 'New Energy Vehicle'], ['专用车', 'Special Vehicles']],
  C38: [['电气', 'Electric'], ['电池', 'Battery'], ['电机', 'Motors']],
  C39: [['电子', 'Electronics'], ['光电', 'Optoelectronics'], ['半导体', 'Semiconductor']],
  C40: [['仪器仪表', 'Instruments'], ['传感技术', 'Sensor Technology']],
  D44: [['热电', 'Thermal Power'], ['供电服务', 'Power Supply']],
  D: [['能源', 'Energy'], ['水务', 'Water']],
  E: [['建设工程', 'Construction']],
  F51: [['贸易', 'Trading'], ['供应链管理', 'Supply Chain Management'], ['进出口', 'Import and Export']],
  F52: [['商贸', 'Commerce'], ['超市', 'Supermarket']],
  G: [['交通发展', 'Transport Development'], ['公交', 'Public Transport']],
  G58: [['国际货运代理', 'International Freight Forwarding'], ['多式联运', 'Multimodal Logistics']],
  G59: [['仓储', 'Warehousing'], ['冷链物流', 'Cold Chain Logistics']],
  H: [['餐饮管理', 'Catering Management'], ['酒店管理', 'Hotel Management']],
  I63: [['通信技术', 'Communication Technology']],
  I64: [['网络科技', 'Internet Technology'], ['云计算', 'Cloud Computing']],
  I65: [['软件', 'Software'], ['信息技术', 'Information Technology'], ['数据科技', 'Data Technology']],
  J66: [['小额贷款', 'Microcredit'], ['融资担保', 'Financing Guarantee']],
  K: [['置业', 'Real Estate'], ['房地产开发', 'Property Development']],
  L72: [['企业管理咨询', 'Management Consulting'], ['人力资源', 'Human Resources'], ['产业投资', 'Industrial Investment']],
  M73: [['技术研究院', 'Technology Research Institute'], ['新材料研究院', 'New Materials Research Institute']],
  M74: [['检测技术', 'Testing Technology'], ['检验认证', 'Inspection and Certification'], ['计量科技', 'Metrology Technology']],
  M75: [['科技服务', 'Technology Services'], ['科技企业孵化器', 'Technology Business Incubator'], ['技术转移', 'Technology Transfer']],
  N: [['园林绿化', 'Landscaping'], ['环境工程', 'Environmental Engineering']],
  O: [['物业服务', 'Property Services'], ['家政服务', 'Household Services']],
  P: [['教育科技', 'Education Technology'], ['职业培训', 'Vocational Training']],
  Q: [['医疗管理', 'Healthcare Management'], ['健康产业', 'Health Industry']],
};

const PLACES: [string, string][] = [['济宁', 'Jining'], ['山东', 'Shandong'], ['济宁高新区', 'Jining High-tech Zone']];
const LEGAL_FORMS: [string, string, number][] = [
  ['有限公司', 'Co., Ltd.', 0.72],
  ['股份有限公司', 'Stock Co., Ltd.', 0.18],
  ['有限责任公司', 'Co., Ltd.', 0.1],
];

export interface CompanyName { name: string; name_en: string; brand: string; brand_en: string }

export function tradesOf(industry: string): [string, string][] {
  return TRADES[industry] ?? TRADES[industry[0]] ?? [['科技', 'Technology']];
}

export function companyName(rng: Rng, industry: string): CompanyName {
  const a = rng.pick(BRAND_SYLLABLES);
  let b = rng.pick(BRAND_SYLLABLES);
  while (b[0] === a[0]) b = rng.pick(BRAND_SYLLABLES);
  const brand = a[0] + b[0];
  const brand_en = a[1] + b[1].toLowerCase();
  const [trade, trade_en] = rng.pick(tradesOf(industry));
  const place = rng.chance(0.1) ? null : rng.chance(0.62) ? PLACES[0] : rng.chance(0.8) ? PLACES[1] : PLACES[2];
  let r = rng.float();
  const form = LEGAL_FORMS.find(([, , p]) => (r -= p) < 0) ?? LEGAL_FORMS[0];
  return {
    name: `${place ? place[0] : ''}${brand}${trade}${form[0]}`,
    name_en: `${place ? place[1] + ' ' : ''}${brand_en} ${trade_en} ${form[1]}`,
    brand, brand_en,
  };
}

// Common surnames, with 孔, 孟 and 颜 over-represented as they are around Qufu and Zoucheng.
const SURNAMES = '王李张刘陈杨赵黄周吴孔孟颜曾徐孙马朱胡郭何高林罗郑梁谢宋唐许'.split('');
const GIVEN = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英',
  '霞', '平', '刚', '桂英', '华', '建国', '志强', '海燕', '晓东', '文博', '子涵', '雨轩', '浩然', '思远', '欣怡',
  '宇航', '俊杰', '梓萱', '嘉怡', '鹏', '斌', '峰', '庆华', '玉兰', '长青', '振东',
];

export function personName(rng: Rng): string {
  return rng.pick(SURNAMES) + rng.pick(GIVEN);
}

const MOBILE_PREFIXES = ['133', '135', '136', '137', '138', '139', '150', '151', '153', '155', '156', '158', '159', '177', '180', '181', '185', '186', '187', '188', '189'];

/** A Jining landline (area code 0537) or a mainland mobile number. */
export function phoneNumber(rng: Rng): string {
  const digits = (n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');
  return rng.chance(0.5) ? `${rng.pick(MOBILE_PREFIXES)}${digits(8)}` : `0537-${rng.int(2, 8)}${digits(6)}`;
}
