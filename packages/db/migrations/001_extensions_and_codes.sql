-- Extensions and the code lists every other table refers to.
-- btree_gist lets one exclusion constraint forbid two leases of the same unit over overlapping dates.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- GB 50137-2011 urban land-use planning classes, with the 2023 land-and-sea use class (用地用海分类)
-- each maps to, so reports can use either scheme.
CREATE TABLE land_use_class (
  code        text PRIMARY KEY,
  name        text NOT NULL,
  name_en     text NOT NULL,
  major       text NOT NULL CHECK (major IN ('R', 'A', 'B', 'M', 'W', 'S', 'U', 'G', 'H', 'E')),
  tdyh_code   text NOT NULL
);

INSERT INTO land_use_class (code, name, name_en, major, tdyh_code) VALUES
  ('R1', '一类居住用地', 'Residential class 1', 'R', '070101'),
  ('R2', '二类居住用地', 'Residential class 2', 'R', '070102'),
  ('R3', '三类居住用地', 'Residential class 3', 'R', '070103'),
  ('A1', '行政办公用地', 'Administration', 'A', '0801'),
  ('A2', '文化设施用地', 'Cultural facilities', 'A', '0802'),
  ('A3', '教育科研用地', 'Education and research', 'A', '0803'),
  ('A5', '医疗卫生用地', 'Health care', 'A', '0806'),
  ('B1', '商业用地', 'Commercial', 'B', '0901'),
  ('B2', '商务用地', 'Business offices', 'B', '0902'),
  ('B4', '公用设施营业网点用地', 'Utility service outlets', 'B', '0901'),
  ('B9', '其他服务设施用地', 'Other services', 'B', '0904'),
  ('M1', '一类工业用地', 'Industrial class 1 (no nuisance)', 'M', '100101'),
  ('M2', '二类工业用地', 'Industrial class 2 (some nuisance)', 'M', '100102'),
  ('M3', '三类工业用地', 'Industrial class 3 (serious nuisance)', 'M', '100103'),
  ('W1', '一类物流仓储用地', 'Logistics and warehousing class 1', 'W', '110101'),
  ('W2', '二类物流仓储用地', 'Logistics and warehousing class 2', 'W', '110102'),
  ('S1', '城市道路用地', 'Urban roads', 'S', '1207'),
  ('S4', '交通场站用地', 'Transport stations', 'S', '1208'),
  ('U1', '供应设施用地', 'Supply utilities', 'U', '1301'),
  ('U2', '环境设施用地', 'Environmental utilities', 'U', '1309'),
  ('G1', '公园绿地', 'Parks and green space', 'G', '1401'),
  ('G2', '防护绿地', 'Protective green belts', 'G', '1402'),
  ('G3', '广场用地', 'Squares', 'G', '1403'),
  ('E1', '水域', 'Water', 'E', '17');

-- GB/T 4754-2017 industry classification: the sections and the divisions a high-tech zone meets.
CREATE TABLE industry_class (
  code     text PRIMARY KEY CHECK (code ~ '^[A-T]([0-9]{2})?$'),
  name     text NOT NULL,
  name_en  text NOT NULL
);

INSERT INTO industry_class (code, name, name_en) VALUES
  ('A', '农、林、牧、渔业', 'Agriculture, forestry, animal husbandry and fishery'),
  ('B', '采矿业', 'Mining'),
  ('C', '制造业', 'Manufacturing'),
  ('C13', '农副食品加工业', 'Processing of agricultural and sideline foods'),
  ('C14', '食品制造业', 'Food manufacturing'),
  ('C17', '纺织业', 'Textiles'),
  ('C26', '化学原料和化学制品制造业', 'Chemical raw materials and products'),
  ('C27', '医药制造业', 'Pharmaceutical manufacturing'),
  ('C29', '橡胶和塑料制品业', 'Rubber and plastic products'),
  ('C30', '非金属矿物制品业', 'Non-metallic mineral products'),
  ('C33', '金属制品业', 'Fabricated metal products'),
  ('C34', '通用设备制造业', 'General-purpose machinery'),
  ('C35', '专用设备制造业', 'Special-purpose machinery'),
  ('C36', '汽车制造业', 'Automobile manufacturing'),
  ('C38', '电气机械和器材制造业', 'Electrical machinery and equipment'),
  ('C39', '计算机、通信和其他电子设备制造业', 'Computers, communication and other electronic equipment'),
  ('C40', '仪器仪表制造业', 'Instruments and meters'),
  ('D', '电力、热力、燃气及水生产和供应业', 'Electricity, heat, gas and water supply'),
  ('D44', '电力、热力生产和供应业', 'Electricity and heat production and supply'),
  ('E', '建筑业', 'Construction'),
  ('F', '批发和零售业', 'Wholesale and retail trade'),
  ('F51', '批发业', 'Wholesale trade'),
  ('F52', '零售业', 'Retail trade'),
  ('G', '交通运输、仓储和邮政业', 'Transport, storage and post'),
  ('G58', '多式联运和运输代理业', 'Multimodal transport and transport agencies'),
  ('G59', '装卸搬运和仓储业', 'Loading, unloading and warehousing'),
  ('H', '住宿和餐饮业', 'Accommodation and catering'),
  ('I', '信息传输、软件和信息技术服务业', 'Information transmission, software and IT services'),
  ('I63', '电信、广播电视和卫星传输服务', 'Telecommunications, broadcasting and satellite transmission'),
  ('I64', '互联网和相关服务', 'Internet and related services'),
  ('I65', '软件和信息技术服务业', 'Software and information technology services'),
  ('J', '金融业', 'Finance'),
  ('J66', '货币金融服务', 'Monetary financial services'),
  ('K', '房地产业', 'Real estate'),
  ('L', '租赁和商务服务业', 'Leasing and business services'),
  ('L72', '商务服务业', 'Business services'),
  ('M', '科学研究和技术服务业', 'Scientific research and technical services'),
  ('M73', '研究和试验发展', 'Research and experimental development'),
  ('M74', '专业技术服务业', 'Professional technical services (incl. inspection and testing)'),
  ('M75', '科技推广和应用服务业', 'Technology promotion and application services'),
  ('N', '水利、环境和公共设施管理业', 'Water conservancy, environment and public facilities'),
  ('O', '居民服务、修理和其他服务业', 'Resident services and repair'),
  ('P', '教育', 'Education'),
  ('Q', '卫生和社会工作', 'Health and social work'),
  ('R', '文化、体育和娱乐业', 'Culture, sports and entertainment'),
  ('S', '公共管理、社会保障和社会组织', 'Public administration and social organisations'),
  ('T', '国际组织', 'International organisations');

-- GB 32100-2015 unified social credit code: 18 characters, the last a mod-31 check character.
-- The API checks it first with a precise message; this function is the database's own guard.
CREATE FUNCTION uscc_is_valid(code text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  alphabet constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
  weights constant int[] := ARRAY[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  total int := 0;
  v int;
BEGIN
  IF code !~ '^[0-9A-HJ-NP-RTUW-Y]{18}$' THEN
    RETURN false;
  END IF;
  FOR i IN 1..17 LOOP
    v := strpos(alphabet, substr(code, i, 1)) - 1;
    total := total + v * weights[i];
  END LOOP;
  RETURN substr(alphabet, ((31 - total % 31) % 31) + 1, 1) = substr(code, 18, 1);
END;
$$;
