import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, wgs84ToGcj02 } from './gcj02.ts';

// Published WGS84 / GCJ-02 pairs (lat, lon order as usually quoted): the widely used test table of
// the open eviltransform implementations (Shanghai, Shenzhen, Beijing).
const PAIRS = [
  { place: 'Shanghai', wgs: [121.5272106, 31.1774276], gcj: [121.531541859215, 31.17530398364597] },
  { place: 'Shenzhen', wgs: [113.912316, 22.543847], gcj: [113.9171764808363, 22.540796131694766] },
  { place: 'Beijing', wgs: [116.377817, 39.911954], gcj: [116.38404722455657, 39.91334545536069] },
] as const;

/** Ground distance in metres between two lon/lat points (equirectangular, fine at this scale). */
function metres(a: readonly number[], b: readonly number[]): number {
  const k = (Math.PI / 180) * 6371008.8;
  const dx = (a[0] - b[0]) * k * Math.cos(((a[1] + b[1]) / 2) * (Math.PI / 180));
  const dy = (a[1] - b[1]) * k;
  return Math.hypot(dx, dy);
}

describe('GCJ-02', () => {
  for (const p of PAIRS) {
    it(`offsets WGS84 as the web maps do (${p.place})`, () => {
      expect(metres(wgs84ToGcj02(p.wgs[0], p.wgs[1]), p.gcj)).toBeLessThan(0.01);
    });
    it(`converts GCJ-02 back to WGS84 within 0.5 m (${p.place})`, () => {
      expect(metres(gcj02ToWgs84(p.gcj[0], p.gcj[1]), p.wgs)).toBeLessThan(0.5);
    });
  }

  it('offsets Jining by about 480–510 m, mostly eastward, and inverts it to the millimetre', () => {
    const wgs = [116.6, 35.4] as const;
    const gcj = wgs84ToGcj02(wgs[0], wgs[1]);
    const d = metres(gcj, wgs);
    expect(d).toBeGreaterThan(450);
    expect(d).toBeLessThan(550);
    expect(gcj[0]).toBeGreaterThan(wgs[0]);
    expect(metres(gcj02ToWgs84(gcj[0], gcj[1]), wgs)).toBeLessThan(0.001);
  });

  it('leaves coordinates outside China unchanged', () => {
    expect(gcj02ToWgs84(2.35, 48.85)).toEqual([2.35, 48.85]);
  });
});
