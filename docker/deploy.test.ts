/**
 * Deployment files: the compose file is valid (docker-compose v1 validates without an engine) and
 * describes two replicas, Postgres, Redis and a load balancer; the Dockerfile runs as non-root with
 * a health check; fly.toml checks health and mounts the SQLite volume.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (p: string) => readFileSync(root + p, 'utf8');

describe('deployment files', () => {
  it('docker/compose.yml is valid and runs two replicas behind a load balancer with Postgres and Redis', () => {
    // Fails (does not skip) when docker-compose is missing: .ci/run installs it.
    execFileSync('docker-compose', ['-f', 'docker/compose.yml', 'config', '-q'], { cwd: root, stdio: 'pipe' });
    const services = execFileSync('docker-compose', ['-f', 'docker/compose.yml', 'config', '--services'], { cwd: root }).toString().split('\n').filter(Boolean);
    expect(services.sort()).toEqual(['app1', 'app2', 'lb', 'postgres', 'redis']);
    const config = execFileSync('docker-compose', ['-f', 'docker/compose.yml', 'config'], { cwd: root }).toString();
    expect(config.match(/DATABASE_URL: postgres:\/\//g)).toHaveLength(2);
    expect(config.match(/REDIS_URL: redis:\/\/redis:6379/g)).toHaveLength(2);
    const nginx = read('docker/nginx.conf');
    expect(nginx).toMatch(/server app1:8787/);
    expect(nginx).toMatch(/server app2:8787/);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
  });

  it('the Dockerfile is multi-stage, non-root, with a health check', () => {
    const df = read('docker/Dockerfile');
    expect(df.match(/^FROM /gm)).toHaveLength(2);
    expect(df).toMatch(/^USER node$/m);
    expect(df).toMatch(/^HEALTHCHECK .*/m);
    expect(df).toMatch(/\/healthz/);
  });

  it('fly.toml serves HTTP with health checks and a volume for SQLite', () => {
    const fly = read('fly.toml');
    expect(fly).toMatch(/internal_port = 8787/);
    expect(fly).toMatch(/path = "\/healthz"/);
    expect(fly).toMatch(/\[mounts\][\s\S]*destination = "\/data"/);
  });
});
