import { ensureWebBuild } from './web-build.ts';

/** Builds the web app once per run, before the browser test files (which run in parallel) need it. */
export default function setup() {
  ensureWebBuild();
}
