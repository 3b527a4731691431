export * from './entities.ts';
export * from './errors.ts';
export * from './geojson.ts';
export * from './units.ts';
export * from './uscc.ts';
export * from './stats.ts';
export * from './spaces.ts';
export * from './leads.ts';
