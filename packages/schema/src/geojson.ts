import { z } from 'zod';

const position = z
  .tuple([z.number(), z.number()])
  .rest(z.number())
  .describe('[longitude, latitude] in EPSG:4326 (RFC 7946 order)');
const ring = z.array(position).min(4).describe('A closed linear ring: first and last positions equal');

export const polygon = z.object({
  type: z.literal('Polygon'),
  coordinates: z.array(ring).min(1),
});
export const multiPolygon = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(ring).min(1)).min(1),
});
/** The geometries areal features accept: a Polygon is stored as a one-part MultiPolygon. */
export const arealGeometry = z
  .discriminatedUnion('type', [polygon, multiPolygon])
  .describe('GeoJSON Polygon or MultiPolygon, EPSG:4326');

export type ArealGeometry = z.infer<typeof arealGeometry>;

/** A bbox query parameter: minLon,minLat,maxLon,maxLat. */
export const bboxParam = z
  .string()
  .describe('minLon,minLat,maxLon,maxLat (EPSG:4326)')
  .transform((s, ctx) => {
    const parts = s.split(',').map((p) => Number(p.trim()));
    const [minX, minY, maxX, maxY] = parts;
    if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
      ctx.addIssue({ code: 'custom', message: 'bbox must be four numbers: minLon,minLat,maxLon,maxLat' });
      return z.NEVER;
    }
    if (minX > maxX || minY > maxY) {
      ctx.addIssue({ code: 'custom', message: 'bbox minimum must not exceed its maximum (minLon,minLat,maxLon,maxLat)' });
      return z.NEVER;
    }
    if (minX < -180 || maxX > 180 || minY < -90 || maxY > 90) {
      ctx.addIssue({ code: 'custom', message: 'bbox must be in degrees: longitude -180..180, latitude -90..90' });
      return z.NEVER;
    }
    return [minX, minY, maxX, maxY] as [number, number, number, number];
  });
