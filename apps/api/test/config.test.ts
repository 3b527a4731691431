import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('defaults to the embedded database, port 3000 on loopback, demo data and the Jining extent', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: './.parkatlas',
      demo: true,
      extent: [115.8, 34.4, 117.7, 36.0],
      webDir: undefined,
      importMaxBytes: 512 * 1024 * 1024,
      poolMax: 10,
      statementTimeoutMs: 60_000,
      requestTimeoutMs: 300_000,
      corsOrigins: [],
      alertsEveryMs: 3_600_000,
    });
  });

  it('reads every variable', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u:p@db:5432/parkatlas',
      PARKATLAS_DATA_DIR: '/var/lib/parkatlas',
      PARKATLAS_DEMO: '0',
      PARKATLAS_EXTENT: '116.5,35.3,116.9,35.6',
      PARKATLAS_DB_POOL_MAX: '40',
      PARKATLAS_STATEMENT_TIMEOUT_MS: '0',
      PARKATLAS_REQUEST_TIMEOUT_MS: '30000',
      PARKATLAS_CORS_ORIGINS: 'https://dash.jining.gov.cn, http://10.1.2.3:8080',
      PARKATLAS_ALERTS_EVERY_MINUTES: '0',
    });
    expect(c).toMatchObject({
      port: 8080, host: '0.0.0.0', databaseUrl: 'postgres://u:p@db:5432/parkatlas', demo: false, extent: [116.5, 35.3, 116.9, 35.6],
      poolMax: 40, statementTimeoutMs: 0, requestTimeoutMs: 30_000, corsOrigins: ['https://dash.jining.gov.cn', 'http://10.1.2.3:8080'], alertsEveryMs: 0,
    });
  });

  it('fails at start naming every bad variable', () => {
    const attempt = () => loadConfig({
      PORT: 'eighty', PARKATLAS_DEMO: 'yes', PARKATLAS_EXTENT: '117,35,116,36', DATABASE_URL: 'mysql://x',
      PARKATLAS_DB_POOL_MAX: '0', PARKATLAS_CORS_ORIGINS: '*',
    });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (e) {
        return (e as Error).message;
      }
    })();
    for (const name of ['PORT', 'PARKATLAS_DEMO', 'PARKATLAS_EXTENT', 'DATABASE_URL', 'PARKATLAS_DB_POOL_MAX', 'PARKATLAS_CORS_ORIGINS']) {
      expect(message).toContain(name);
    }
  });
});
