import type { CollectionDef } from '../collections/definition.ts';
import { buildings } from './buildings.ts';
import { enterprises } from './enterprises.ts';
import { leases } from './leases.ts';
import { parcels } from './parcels.ts';
import { projects } from './projects.ts';
import { units } from './units.ts';
import { areas, corridors, parks } from './zones.ts';

/** The nine collections of the public contract (DESIGN.md), in the order the docs list them. */
export const collections: CollectionDef[] = [corridors, areas, parks, parcels, buildings, units, enterprises, leases, projects];
