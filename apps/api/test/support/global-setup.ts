import type { TestProject } from 'vitest/node';
import { createTemplate } from './test-db.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}

/** Migrates and seeds the template database once for the whole run. */
export default async function setup(project: TestProject) {
  const { template, remove } = await createTemplate(process.env.DATABASE_URL);
  project.provide('templateDb', template);
  return remove;
}
