/**
 * A moto server (PyPI `moto[server]`, pinned in requirements-dev.txt, installed into .venv by
 * `make test`) on a free loopback port, for the evidence tests. A test file starts one in beforeAll
 * and stops it in afterAll. Nothing is skipped when moto is missing: the start fails, saying how to
 * install it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

// Not from ../helpers: it loads the stacks (and the AWS provider bindings), which these tests never need.
const REPO_ROOT = join(__dirname, '..', '..');

export const MOTO_SERVER = join(REPO_ROOT, '.venv', 'bin', 'moto_server');

/** Fake credentials of the runner: moto accepts any, and maps them to its default account. */
export const RUNNER_CREDENTIALS = { accessKeyId: 'AKIAEVIDENCETESTS000', secretAccessKey: 'evidence-tests-secret' };

async function call(url: string, method: 'GET' | 'POST'): Promise<number> {
  const response = await fetch(url, { method });
  await response.arrayBuffer();
  return response.status;
}

export interface Moto {
  readonly endpoint: string;
  /** Forgets every resource (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(endpoint: string, child: ChildProcess, log: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} before it was ready:\n${log()}`);
    try {
      if ((await call(`${endpoint}/moto-api/data.json`, 'GET')) === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs / 1000}s:\n${log()}`);
}

export async function startMoto(): Promise<Moto> {
  if (!existsSync(MOTO_SERVER)) {
    throw new Error(`moto is not installed (${MOTO_SERVER} is missing): run \`make test\`, which installs requirements-dev.txt (moto[server]) into .venv`);
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  try {
    await waitUntilReady(endpoint, child, () => output);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    endpoint,
    async reset() {
      const status = await call(`${endpoint}/moto-api/reset`, 'POST');
      if (status !== 200) throw new Error(`moto reset failed: ${status}`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
