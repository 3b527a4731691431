import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { csvRecords, parseCsv } from './csv.ts';
import { countVertices, parseWkt, readWkb, TooManyVertices, wkbHex } from './geometry.ts';
import { parseUpload } from './index.ts';
import { sridOfWkt } from './prj.ts';
import { readDbf, readShp } from './shapefile.ts';

describe('WKT', () => {
  it('reads polygons with holes, multipolygons and Z coordinates (heights dropped)', () => {
    expect(parseWkt('POLYGON ((0 0, 4 0, 4 4, 0 0), (1 1, 2 1, 2 2, 1 1))')).toEqual({
      type: 'Polygon',
      coordinates: [[[0, 0], [4, 0], [4, 4], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 1]]],
    });
    expect(parseWkt('MULTIPOLYGON Z (((0 0 5, 1 0 5, 1 1 5, 0 0 5)))')).toEqual({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] });
    expect(parseWkt('SRID=4326;POINT(116.6 35.4)')).toEqual({ type: 'Point', coordinates: [116.6, 35.4] });
    expect(parseWkt('MULTIPOINT ((1 2), (3 4))')).toEqual({ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] });
  });

  it('names the place where WKT goes wrong', () => {
    expect(() => parseWkt('POLYGON ((0 0, 1 0, 1 1, 0 0)')).toThrow(/'\)' is expected/);
    expect(() => parseWkt('CIRCLE (0 0)')).toThrow(/CIRCLE is not supported/);
    expect(() => parseWkt('POINT EMPTY')).toThrow(/EMPTY/);
  });
});

describe('WKB written for PostGIS', () => {
  it('writes polygons with holes, multipolygons, lines and points that read back the same', () => {
    const shell = [[116.5, 35.3], [116.6, 35.3], [116.6, 35.4], [116.5, 35.3]];
    const hole = [[116.52, 35.31], [116.55, 35.31], [116.55, 35.33], [116.52, 35.31]];
    for (const g of [
      { type: 'Polygon' as const, coordinates: [shell, hole] },
      { type: 'MultiPolygon' as const, coordinates: [[shell, hole], [shell]] },
      { type: 'LineString' as const, coordinates: shell },
      { type: 'Point' as const, coordinates: [116.123456789012, 35.000000000001] },
    ]) {
      expect(readWkb(Buffer.from(wkbHex(g), 'hex'))).toEqual(g);
    }
  });

  it('keeps heights when the positions have them', () => {
    const hex = wkbHex({ type: 'Point', coordinates: [1, 2, 3] });
    expect(Buffer.from(hex, 'hex').readUInt32LE(1)).toBe(1001); // ISO Point Z
    expect(Buffer.from(hex, 'hex').readDoubleLE(21)).toBe(3);
  });
});

describe('vertex limit', () => {
  it('stops counting past the limit instead of walking a huge geometry', () => {
    const ring = Array.from({ length: 20 }, (_, i) => [i, i]);
    expect(countVertices({ type: 'Polygon', coordinates: [ring] })).toBe(20);
    expect(() => countVertices({ type: 'Polygon', coordinates: [ring] }, 10)).toThrow(TooManyVertices);
  });

  it('refuses a WKB ring from its count, before reading its coordinates', () => {
    const wkb = Buffer.alloc(13);
    wkb[0] = 1;
    wkb.writeUInt32LE(3, 1); // Polygon
    wkb.writeUInt32LE(1, 5); // one ring
    wkb.writeUInt32LE(2_000_000, 9); // of two million points (none follow)
    expect(() => readWkb(wkb)).toThrow(TooManyVertices);
  });
});

describe('CSV', () => {
  it('keeps commas, quotes and line breaks inside quoted fields', () => {
    expect(csvRecords('a,b\r\n"x, ""y""","1\n2"\r\n')).toEqual([['a', 'b'], ['x, "y"', '1\n2']]);
  });

  it('makes points from lon/lat columns and reads GBK text', () => {
    const gbk = Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x2c, 0x6c, 0x6f, 0x6e, 0x2c, 0x6c, 0x61, 0x74, 0x0a, 0xd6, 0xd0, 0xce, 0xc4, 0x2c, 0x31, 0x31, 0x36, 0x2e, 0x36, 0x2c, 0x33, 0x35, 0x2e, 0x34]);
    const file = parseCsv(gbk);
    expect(file.fields).toEqual(['name']);
    expect(file.rows[0]).toMatchObject({ row: 1, properties: { name: '中文' }, geometry: { type: 'Point', coordinates: [116.6, 35.4] } });
  });
});

describe('.prj', () => {
  it('recognises ESRI and OGC WKT of the supported CRSs', () => {
    expect(sridOfWkt('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]', 'prj')).toBe(4326);
    expect(sridOfWkt('GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]', 'prj')).toBe(4490);
    const gk = (cm: number, fe: number) =>
      `PROJCS["CGCS2000_3_Degree_GK",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${fe}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${cm}],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
    expect(sridOfWkt(gk(117, 500000), 'prj')).toBe(4548);
    expect(sridOfWkt(gk(117, 39500000), 'prj')).toBe(4527);
    expect(sridOfWkt(gk(120, 500000), 'prj')).toBe(4549);
    expect(sridOfWkt('PROJCS["x",GEOGCS["y"],AUTHORITY["EPSG","4548"]]', 'prj')).toBe(4548);
  });

  it('refuses any other CRS with a 422 naming the field', () => {
    expect(() => sridOfWkt('PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84"],AUTHORITY["EPSG","3857"]]', 'prj')).toThrow(expect.objectContaining({ status: 422, code: 'unsupported_crs', field: 'prj' }));
    expect(() => sridOfWkt('PROJCS["Xian_1980_3_Degree_GK_CM_117E",GEOGCS["GCS_Xian_1980"],PROJECTION["Gauss_Kruger"],PARAMETER["Central_Meridian",117.0],PARAMETER["False_Easting",500000.0]]', 'prj')).toThrow(/Xian_1980/);
  });
});

/** A shapefile of polygons built by hand, as the format describes it. */
function shp(rings: number[][][]): Buffer {
  const points = rings.flat();
  const content = 44 + 4 * rings.length + 16 * points.length;
  const b = Buffer.alloc(100 + 8 + content);
  b.writeInt32BE(9994, 0);
  b.writeInt32BE(b.length / 2, 24);
  b.writeInt32LE(1000, 28);
  b.writeInt32LE(5, 32);
  b.writeInt32BE(1, 100);
  b.writeInt32BE(content / 2, 104);
  const c = 108;
  b.writeInt32LE(5, c);
  b.writeInt32LE(rings.length, c + 36);
  b.writeInt32LE(points.length, c + 40);
  let start = 0;
  rings.forEach((r, i) => {
    b.writeInt32LE(start, c + 44 + 4 * i);
    start += r.length;
  });
  points.forEach(([x, y], i) => {
    b.writeDoubleLE(x, c + 44 + 4 * rings.length + 16 * i);
    b.writeDoubleLE(y, c + 52 + 4 * rings.length + 16 * i);
  });
  return b;
}

function dbf(name: string, values: Buffer[]): Buffer {
  const width = 20;
  const b = Buffer.alloc(32 + 32 + 1 + values.length * (1 + width) + 1, 0x20);
  b[0] = 3;
  b.writeUInt32LE(values.length, 4);
  b.writeUInt16LE(65, 8);
  b.writeUInt16LE(1 + width, 10);
  b.fill(0, 12, 32);
  b.fill(0, 32, 64);
  b.write(name, 32, 'latin1');
  b[43] = 'C'.charCodeAt(0);
  b[48] = width;
  b[64] = 0x0d;
  values.forEach((v, i) => v.copy(b, 65 + i * (1 + width) + 1));
  b[b.length - 1] = 0x1a;
  return b;
}

describe('Shapefile', () => {
  it('makes clockwise rings outer boundaries and counter-clockwise ones their holes', () => {
    const outer = [[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]]; // clockwise
    const hole = [[2, 2], [4, 2], [4, 4], [2, 4], [2, 2]]; // counter-clockwise
    const second = [[20, 0], [20, 5], [25, 5], [25, 0], [20, 0]];
    expect(readShp(shp([outer, hole]))[0]).toEqual({ type: 'Polygon', coordinates: [outer, hole] });
    expect(readShp(shp([outer, second]))[0]).toMatchObject({ type: 'MultiPolygon', coordinates: [[outer], [second]] });
  });

  it('decodes text attributes as the .cpg says: UTF-8 or GBK', () => {
    const gbkName = Buffer.from([0xd6, 0xd0, 0xce, 0xc4]);
    expect(readDbf(dbf('name', [gbkName]), 'GBK').records[0]).toEqual({ name: '中文' });
    expect(readDbf(dbf('name', [Buffer.from('中文')]), 'UTF-8').records[0]).toEqual({ name: '中文' });
    // No .cpg: valid UTF-8 is read as UTF-8, anything else as GB18030.
    expect(readDbf(dbf('name', [gbkName])).records[0]).toEqual({ name: '中文' });
  });

  it('reads a zip of .shp, .dbf and .cpg, and refuses one without a .shp', () => {
    const outer = [[116.6, 35.4], [116.6, 35.41], [116.61, 35.41], [116.61, 35.4], [116.6, 35.4]];
    const zip = zipSync({ 'layer/p.shp': new Uint8Array(shp([outer])), 'layer/p.dbf': new Uint8Array(dbf('code', [Buffer.from('P-1')])), 'layer/p.cpg': new TextEncoder().encode('UTF-8') });
    const file = parseUpload(Buffer.from(zip), 'p.zip', 'parcels');
    expect(file).toMatchObject({ format: 'shapefile', fields: ['code'], rows: [{ row: 1, properties: { code: 'P-1' }, geometry: { type: 'Polygon' } }] });
    const none = zipSync({ 'p.dbf': new Uint8Array(dbf('code', [])) });
    expect(() => parseUpload(Buffer.from(none), 'p.zip', 'parcels')).toThrow(expect.objectContaining({ code: 'no_shapefile', field: 'file' }));
  });
});
