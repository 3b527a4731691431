import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs a GDAL tool, a real third-party client of the API. GDAL is required, never skipped: CI
 * installs it (apt-get install gdal-bin). Async, never execFileSync: the server answering GDAL runs
 * in the test's own process.
 */
export async function gdal(tool: 'ogrinfo' | 'ogr2ogr', args: string[], debug = false): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(tool, args, { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CPL_DEBUG: debug ? 'ON' : 'OFF' } });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string; stdout?: string };
    if (err.code === 'ENOENT') throw new Error(`${tool} is not installed: install GDAL with \`apt-get install gdal-bin\` (CI installs it)`);
    throw new Error(`${tool} ${args.join(' ')} failed: ${err.stderr ?? err.message}\n${err.stdout ?? ''}`);
  }
}
