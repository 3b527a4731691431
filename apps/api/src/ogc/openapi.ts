import { z } from 'zod';
import type { CollectionInfo } from './catalog.ts';
import { COLLECTION_TEXT } from './catalog.ts';
import { CRS84, SUPPORTED_CRS } from './crs.ts';
import { MAX_LIMIT, DEFAULT_LIMIT } from './params.ts';

/**
 * The OpenAPI 3.0 document of /ogc. Clients read it: GDAL's OAPIF driver looks up the
 * parameters of /collections/{id}/items (filter-lang, attribute filters) here, so every
 * collection's items path is spelled out with its own attribute filters.
 */
export function ogcOpenApi(base: string, infos: CollectionInfo[]): Record<string, unknown> {
  const ref = (name: string) => ({ $ref: `#/components/parameters/${name}` });
  const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/error' } } } });
  const json = (description: string, schema: Record<string, unknown> = { type: 'object' }) => ({
    description,
    content: { 'application/json': { schema }, 'text/html': { schema: { type: 'string' } } },
  });
  const geojson = (description: string) => ({
    description,
    headers: { 'Content-Crs': { description: 'The CRS of the coordinates, as <URI>', schema: { type: 'string' } } },
    content: { 'application/geo+json': { schema: { type: 'object' } }, 'text/html': { schema: { type: 'string' } } },
  });
  const itemParameters = ['limit', 'offset', 'cursor', 'bbox', 'bbox-crs', 'crs', 'datetime', 'filter', 'filter-lang', 'filter-crs', 'resultType', 'f'].map(ref);
  const paths: Record<string, unknown> = {
    '/': { get: { tags: ['Capabilities'], summary: 'Landing page', operationId: 'getLandingPage', parameters: [ref('f')], responses: { 200: json('Links to the API, conformance and collections') } } },
    '/conformance': { get: { tags: ['Capabilities'], summary: 'Conformance classes', operationId: 'getConformance', parameters: [ref('f')], responses: { 200: json('The conformance classes this server implements') } } },
    '/api': { get: { tags: ['Capabilities'], summary: 'This document', operationId: 'getApi', responses: { 200: { description: 'OpenAPI 3.0', content: { 'application/vnd.oai.openapi+json;version=3.0': {} } } } } },
    '/collections': { get: { tags: ['Capabilities'], summary: 'Feature collections', operationId: 'getCollections', parameters: [ref('f')], responses: { 200: json('Every collection with its extent and CRSs') } } },
    '/collections/{collectionId}': {
      get: { tags: ['Capabilities'], summary: 'One collection', operationId: 'describeCollection', parameters: [ref('collectionId'), ref('f')], responses: { 200: json('The collection'), 404: errorResponse('No such collection') } },
    },
    '/collections/{collectionId}/queryables': {
      get: {
        tags: ['Capabilities'], summary: 'Properties a filter may name', operationId: 'getQueryables', parameters: [ref('collectionId')],
        responses: { 200: { description: 'JSON Schema of the queryables', content: { 'application/schema+json': { schema: { type: 'object' } } } }, 404: errorResponse('No such collection') },
      },
    },
    '/collections/{collectionId}/items': {
      get: { tags: ['Data'], summary: 'Features', operationId: 'getFeatures', parameters: [ref('collectionId'), ...itemParameters], responses: { 200: geojson('A page of features'), 400: errorResponse('A bad parameter'), 404: errorResponse('No such collection') } },
    },
    '/collections/{collectionId}/items/{featureId}': {
      get: { tags: ['Data'], summary: 'One feature', operationId: 'getFeature', parameters: [ref('collectionId'), ref('featureId'), ref('crs'), ref('f')], responses: { 200: geojson('The feature'), 404: errorResponse('No such feature') } },
    },
  };
  for (const info of infos) {
    const id = info.def.name;
    const filters = Object.entries(info.def.filters).map(([name, f]) => ({
      name, in: 'query', required: false, style: 'form', explode: false,
      description: f.schema.description ?? `Attribute filter ${name}, as in /api/${id}`,
      schema: { type: 'string' },
    }));
    paths[`/collections/${id}/items`] = {
      get: {
        tags: ['Data'], summary: COLLECTION_TEXT[id]?.title ?? id, operationId: `getFeatures_${id}`,
        parameters: [...itemParameters, ...filters],
        responses: { 200: geojson(`A page of ${id}`), 400: errorResponse('A bad parameter') },
      },
      post: {
        tags: ['Data'], summary: `Create one ${info.def.label} (Part 4)`, operationId: `createFeature_${id}`,
        requestBody: { required: true, content: { 'application/geo+json': { schema: { type: 'object' } } } },
        responses: { 201: { description: 'Created; Location names the new feature' }, 400: errorResponse('Bad body'), 422: errorResponse('Breaks a rule') },
      },
    };
    paths[`/collections/${id}/items/{featureId}`] = {
      get: { tags: ['Data'], summary: `One ${info.def.label}`, operationId: `getFeature_${id}`, parameters: [ref('featureId'), ref('crs'), ref('f')], responses: { 200: geojson('The feature'), 404: errorResponse('No such feature') } },
      put: { tags: ['Data'], summary: `Replace one ${info.def.label} (Part 4, needs If-Match)`, operationId: `replaceFeature_${id}`, parameters: [ref('featureId'), ref('if-match')], requestBody: { required: true, content: { 'application/geo+json': { schema: { type: 'object' } } } }, responses: { 200: { description: 'Replaced' }, 412: errorResponse('Stale ETag'), 428: errorResponse('If-Match missing') } },
      patch: { tags: ['Data'], summary: `Update one ${info.def.label} (Part 4, merge patch, needs If-Match)`, operationId: `updateFeature_${id}`, parameters: [ref('featureId'), ref('if-match')], requestBody: { required: true, content: { 'application/merge-patch+json': { schema: { type: 'object' } }, 'application/geo+json': { schema: { type: 'object' } } } }, responses: { 200: { description: 'Updated' }, 412: errorResponse('Stale ETag'), 428: errorResponse('If-Match missing') } },
      delete: { tags: ['Data'], summary: `Delete one ${info.def.label} (Part 4, needs If-Match)`, operationId: `deleteFeature_${id}`, parameters: [ref('featureId'), ref('if-match')], responses: { 204: { description: 'Deleted' }, 412: errorResponse('Stale ETag'), 428: errorResponse('If-Match missing') } },
    };
  }
  const crsUris = SUPPORTED_CRS.map((c) => c.uri);
  return {
    openapi: '3.0.3',
    info: {
      title: 'ParkAtlas OGC API – Features',
      version: '1.0.0',
      description: 'The zone\'s corridors, areas, parks, parcels and buildings as OGC API – Features (Parts 1–4): GeoJSON and HTML, CRSs incl. CGCS2000 and its Gauss-Krüger zone for 117° E, CQL2 text filters.',
    },
    servers: [{ url: base }],
    paths,
    components: {
      parameters: {
        collectionId: { name: 'collectionId', in: 'path', required: true, schema: { type: 'string', enum: infos.map((i) => i.def.name) } },
        featureId: { name: 'featureId', in: 'path', required: true, schema: { type: 'string' } },
        limit: { name: 'limit', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
        offset: { name: 'offset', in: 'query', required: false, description: 'Features to skip (prefer the next link, which pages by id)', schema: { type: 'integer', minimum: 0, default: 0 } },
        cursor: { name: 'cursor', in: 'query', required: false, description: 'Opaque position from a next or prev link', schema: { type: 'string' } },
        bbox: { name: 'bbox', in: 'query', required: false, style: 'form', explode: false, description: 'In the axis order of bbox-crs (CRS84: minLon,minLat,maxLon,maxLat)', schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } } },
        'bbox-crs': { name: 'bbox-crs', in: 'query', required: false, schema: { type: 'string', format: 'uri', enum: crsUris, default: CRS84 } },
        crs: { name: 'crs', in: 'query', required: false, schema: { type: 'string', format: 'uri', enum: crsUris, default: CRS84 } },
        datetime: { name: 'datetime', in: 'query', required: false, description: 'Instant or interval (a/b, .. open) on updated_at, RFC 3339', schema: { type: 'string' } },
        filter: { name: 'filter', in: 'query', required: false, description: 'CQL2 text over the queryables', schema: { type: 'string' } },
        'filter-lang': { name: 'filter-lang', in: 'query', required: false, schema: { type: 'string', enum: ['cql2-text', 'cql-text'], default: 'cql2-text' } },
        'filter-crs': { name: 'filter-crs', in: 'query', required: false, schema: { type: 'string', format: 'uri', enum: crsUris, default: CRS84 } },
        resultType: { name: 'resultType', in: 'query', required: false, description: 'hits: only numberMatched, no features (lets GDAL count a filtered selection in one request)', schema: { type: 'string', enum: ['results', 'hits'], default: 'results' } },
        f: { name: 'f', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'html'] } },
        'if-match': { name: 'If-Match', in: 'header', required: true, description: 'The ETag of the feature as read', schema: { type: 'string' } },
      },
      schemas: {
        error: z.toJSONSchema(z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }) }), { target: 'openapi-3.0' }),
      },
    },
  };
}
