import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useLoopbackServers } from '../helpers/loopback-server';
import { buildPackage, createWorkspace, readBuildLog, TEST_ENV, useTempDirs } from '../helpers/workspace';

const tempDir = useTempDirs();
const { start } = useLoopbackServers();

const SECRET = 'k3y-5f1e9a7c-value';

describe('runBuild: values of declared environment variables are never shown or recorded', () => {
  it('redacts a required secret echoed by a hook and by a 401 response, in the terminal, build.log and result.json', async () => {
    // The server echoes the header it was sent, as some do in their error bodies.
    const server = await start((req) => ({ status: 401, body: `bad key ${req.headers['x-api-key']}` }));
    const ws = createWorkspace(tempDir, {
      config: `{
        env: { required: ['API_KEY'] },
        hooks: { post: ['echo "hook sees $API_KEY"'] },
        publish: { to: '${server.origin}/releases', retries: 0, headers: { 'x-api-key': process.env.API_KEY ?? '' } },
      }`,
    });
    let terminal = '';
    // The config reads process.env when it is evaluated, as users' configs do.
    process.env.API_KEY = SECRET;
    const result = await buildPackage(ws, { env: { ...TEST_ENV, API_KEY: SECRET }, onLog: (text) => (terminal += text) }).finally(() => delete process.env.API_KEY);

    expect(server.requests[0].headers['x-api-key']).toBe(SECRET);
    expect(result.publish?.status).toBe('failure');
    const resultText = fs.readFileSync(path.join(ws.pkg, '.build-system/result.json'), 'utf8');
    for (const [where, text] of [['terminal', terminal], ['build.log', readBuildLog(ws)], ['result.json', resultText]]) {
      expect(text, where).not.toContain(SECRET);
    }
    expect(terminal).toContain('hook sees ***');
    expect(result.publish?.error?.message).toContain('bad key ***');
  });

  it('redacts them in error messages too (a failing hook that prints the value)', async () => {
    const ws = createWorkspace(tempDir, { config: `{ env: { required: ['API_KEY'] }, hooks: { pre: ['echo "using $API_KEY" >&2; exit 3'] } }` });
    let terminal = '';

    const result = await buildPackage(ws, { env: { ...TEST_ENV, API_KEY: SECRET }, onLog: (text) => (terminal += text) });

    expect(result.status).toBe('failure');
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(terminal).not.toContain(SECRET);
    expect(terminal).toContain('using ***');
  });
});
