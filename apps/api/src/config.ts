import { z } from 'zod';

/** Jining municipality: every stored coordinate must fall in here unless configured otherwise. */
const DEFAULT_EXTENT = '115.8,34.4,117.7,36.0';

const extent = z
  .string()
  .transform((s, ctx) => {
    const n = s.split(',').map(Number);
    if (n.length !== 4 || n.some((x) => !Number.isFinite(x)) || n[0] >= n[2] || n[1] >= n[3]) {
      ctx.addIssue({ code: 'custom', message: 'must be minLon,minLat,maxLon,maxLat with min < max' });
      return z.NEVER;
    }
    return n as [number, number, number, number];
  });

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .transform((v) => v || undefined),
  PARKATLAS_DATA_DIR: z.string().min(1).default('./.parkatlas'),
  PARKATLAS_DEMO: z.enum(['0', '1']).default('1'),
  // prefault: the default string is parsed like a given one.
  PARKATLAS_EXTENT: extent.prefault(DEFAULT_EXTENT),
  PARKATLAS_WEB_DIR: z.string().optional(),
  PARKATLAS_IMPORT_MAX_MB: z.coerce.number().positive().max(1024 * 1024).default(512),
  PARKATLAS_DB_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  PARKATLAS_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  PARKATLAS_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(300_000),
  PARKATLAS_ALERTS_EVERY_MINUTES: z.coerce.number().min(0).max(7 * 24 * 60).default(60),
  PARKATLAS_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((s, ctx) => {
      const origins = s.split(',').map((o) => o.trim()).filter(Boolean);
      const bad = origins.filter((o) => !/^https?:\/\/[^/\s]+$/.test(o.replace(/\/$/, '')));
      if (bad.length) {
        ctx.addIssue({ code: 'custom', message: `expected origins like https://dash.example.gov.cn, comma-separated; not ${bad.join(', ')}` });
        return z.NEVER;
      }
      return origins;
    }),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  demo: boolean;
  /** minLon, minLat, maxLon, maxLat */
  extent: [number, number, number, number];
  /** The built web app to serve at `/`, if any. */
  webDir?: string;
  /** Largest file POST /api/imports accepts, bytes (PARKATLAS_IMPORT_MAX_MB, default 512). */
  importMaxBytes: number;
  /** PostgreSQL: connections at most (PARKATLAS_DB_POOL_MAX, default 10). */
  poolMax: number;
  /** PostgreSQL: longest statement, ms, 0 none (PARKATLAS_STATEMENT_TIMEOUT_MS, default 60000). */
  statementTimeoutMs: number;
  /** Longest request, ms (PARKATLAS_REQUEST_TIMEOUT_MS, default 300000). */
  requestTimeoutMs: number;
  /** Saved searches are evaluated this often, ms, for spaces freed by time alone (PARKATLAS_ALERTS_EVERY_MINUTES, default 60; 0: never). */
  alertsEveryMs: number;
  /** Origins allowed to call the API from their pages (PARKATLAS_CORS_ORIGINS, comma-separated; none by default). */
  corsOrigins: string[];
}

export class ConfigError extends Error {}

/** Reads the configuration from the environment once, failing with every bad variable named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.PARKATLAS_DATA_DIR,
    demo: e.PARKATLAS_DEMO === '1',
    extent: e.PARKATLAS_EXTENT,
    webDir: e.PARKATLAS_WEB_DIR,
    importMaxBytes: Math.round(e.PARKATLAS_IMPORT_MAX_MB * 1024 * 1024),
    poolMax: e.PARKATLAS_DB_POOL_MAX,
    statementTimeoutMs: e.PARKATLAS_STATEMENT_TIMEOUT_MS,
    requestTimeoutMs: e.PARKATLAS_REQUEST_TIMEOUT_MS,
    corsOrigins: e.PARKATLAS_CORS_ORIGINS,
    alertsEveryMs: Math.round(e.PARKATLAS_ALERTS_EVERY_MINUTES * 60_000),
  };
}

export function defaultExtent(): [number, number, number, number] {
  return extent.parse(DEFAULT_EXTENT);
}
