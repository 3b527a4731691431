/**
 * Just enough of (ISO/OGC) WKB to write Shapefiles and GeoPackage headers: polygons and
 * multipolygons as rings of x, y, and their bounding box. PostGIS writes the WKB (ST_AsBinary),
 * so only 2D polygonal types appear; anything else is a programming error and says so.
 */
export interface Rings {
  /** Every ring of every polygon, in order; each a flat [x0, y0, x1, y1, …]. */
  rings: Float64Array[];
  bbox: [number, number, number, number];
}

export function readPolygonal(wkb: Buffer): Rings {
  let offset = 0;
  const rings: Float64Array[] = [];
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const readGeometry = () => {
    const little = wkb.readUInt8(offset) === 1;
    offset += 1;
    const type = little ? wkb.readUInt32LE(offset) : wkb.readUInt32BE(offset);
    offset += 4;
    const u32 = () => {
      const v = little ? wkb.readUInt32LE(offset) : wkb.readUInt32BE(offset);
      offset += 4;
      return v;
    };
    const f64 = () => {
      const v = little ? wkb.readDoubleLE(offset) : wkb.readDoubleBE(offset);
      offset += 8;
      return v;
    };
    if (type === 3) {
      const nRings = u32();
      for (let r = 0; r < nRings; r++) {
        const n = u32();
        const ring = new Float64Array(n * 2);
        for (let i = 0; i < n; i++) {
          const x = f64();
          const y = f64();
          ring[2 * i] = x;
          ring[2 * i + 1] = y;
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
        }
        rings.push(ring);
      }
    } else if (type === 6) {
      const n = u32();
      for (let i = 0; i < n; i++) readGeometry();
    } else {
      throw new Error(`WKB geometry type ${type} is not a 2D polygon or multipolygon`);
    }
  };
  readGeometry();
  return { rings, bbox: [minX, minY, maxX, maxY] };
}
