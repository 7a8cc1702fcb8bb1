/**
 * A real Trino, the engine Athena engine version 3 is built on ("Athena engine version 3":
 * https://docs.aws.amazon.com/athena/latest/ug/engine-versions-reference-0003.html), for the
 * investigations' tests: the server and the memory connector from Maven Central, cached under
 * `.tools/trino-476/`, each checked against the `.sha1` Maven Central publishes next to it; a single
 * node on a free port; the client protocol over HTTP ("Client protocol":
 * https://trino.io/docs/476/develop/client-protocol.html): `POST /v1/statement`, then `nextUri`
 * until there is none.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { REPO_ROOT } from '../helpers';

export const TRINO_VERSION = '476';
const MAVEN = 'https://repo1.maven.org/maven2/io/trino';
const CACHE = join(REPO_ROOT, '.tools', `trino-${TRINO_VERSION}`);

/** Trino 476 needs Java 24 or later ("Requirements": https://trino.io/docs/476/installation/deployment.html). */
export function findJava(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [env.TRINO_JAVA_HOME, env.JAVA_HOME, '/usr/lib/jvm/temurin-25-jdk-amd64'].filter((c): c is string => !!c);
  if (existsSync('/usr/lib/jvm')) {
    candidates.push(
      ...readdirSync('/usr/lib/jvm')
        .filter((d) => /(^|\D)2[4-9](\D|$)/.test(d))
        .map((d) => join('/usr/lib/jvm', d)),
    );
  }
  for (const home of candidates) {
    const java = join(home, 'bin', 'java');
    if (!existsSync(java)) continue;
    const release = join(home, 'release');
    const version = existsSync(release) ? /JAVA_VERSION="(\d+)/.exec(require('node:fs').readFileSync(release, 'utf8'))?.[1] : undefined;
    if (version && Number(version) >= 24) return java;
  }
  throw new Error(
    `Trino ${TRINO_VERSION} needs Java 24 or later: none found in TRINO_JAVA_HOME, JAVA_HOME or /usr/lib/jvm/*2[4-9]* (install a JDK 25, e.g. Temurin, and set TRINO_JAVA_HOME to it)`,
  );
}

async function sha1(file: string): Promise<string> {
  const hash = createHash('sha1');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Downloads `artifact` into the cache once, checked against Maven Central's `.sha1`; returns its path. */
async function mavenArtifact(artifactId: string, extension: string): Promise<string> {
  const name = `${artifactId}-${TRINO_VERSION}.${extension}`;
  const target = join(CACHE, name);
  if (existsSync(target)) return target;
  mkdirSync(CACHE, { recursive: true });
  const url = `${MAVEN}/${artifactId}/${TRINO_VERSION}/${name}`;
  const expected = (await (await fetch(`${url}.sha1`)).text()).trim().slice(0, 40);
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
  const partial = `${target}.${process.pid}.partial`;
  await pipeline(Readable.fromWeb(response.body as never), createWriteStream(partial));
  const actual = await sha1(partial);
  if (actual !== expected) {
    rmSync(partial, { force: true });
    throw new Error(`${url}: SHA-1 ${actual}, Maven Central publishes ${expected}`);
  }
  renameSync(partial, target);
  return target;
}

function run(command: string, args: readonly string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')}: exit ${code}: ${stderr}`))));
  });
}

/** The unpacked server with the memory plugin, in the cache (unpacked once, renamed into place). */
export async function trinoInstallation(): Promise<string> {
  const home = join(CACHE, `trino-server-${TRINO_VERSION}`);
  if (existsSync(join(home, 'plugin', 'memory'))) return home;
  const server = await mavenArtifact('trino-server-core', 'tar.gz');
  const memory = await mavenArtifact('trino-memory', 'zip');
  const staging = join(CACHE, `unpack.${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await run('tar', ['-xzf', server], staging);
  const unpacked = join(staging, `trino-server-core-${TRINO_VERSION}`);
  const root = existsSync(unpacked) ? unpacked : join(staging, readdirSync(staging)[0]);
  await run('unzip', ['-q', memory, '-d', join(root, 'plugin')], staging);
  const plugin = readdirSync(join(root, 'plugin')).find((d) => d.startsWith('trino-memory'));
  if (plugin) renameSync(join(root, 'plugin', plugin), join(root, 'plugin', 'memory'));
  rmSync(home, { recursive: true, force: true });
  renameSync(root, home);
  rmSync(staging, { recursive: true, force: true });
  return home;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

export class TrinoServer {
  private constructor(private readonly process: ChildProcess, readonly url: string, private readonly log: () => string) {}

  /** Starts a single-node server (coordinator and worker) with the memory catalog, in `dataDir`. */
  static async start(dataDir: string): Promise<TrinoServer> {
    const java = findJava();
    const home = await trinoInstallation();
    const port = await freePort();
    const etc = join(dataDir, 'etc');
    mkdirSync(join(etc, 'catalog'), { recursive: true });
    // "Deploying Trino", configuration: https://trino.io/docs/476/installation/deployment.html
    writeFileSync(join(etc, 'node.properties'), `node.environment=test\nnode.id=investigations\nnode.data-dir=${join(dataDir, 'data')}\n`);
    writeFileSync(
      join(etc, 'config.properties'),
      [
        'coordinator=true',
        'node-scheduler.include-coordinator=true',
        `http-server.http.port=${port}`,
        `discovery.uri=http://127.0.0.1:${port}`,
        `plugin.dir=${join(home, 'plugin')}`,
        'query.max-memory=512MB',
        'query.max-memory-per-node=256MB',
      ].join('\n') + '\n',
    );
    writeFileSync(join(etc, 'catalog', 'memory.properties'), 'connector.name=memory\n');
    writeFileSync(join(etc, 'log.properties'), 'io.trino=WARN\n');
    const jvm = [
      '-server',
      '-Xmx1G',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-Djdk.attach.allowAttachSelf=true',
      '-XX:+EnableDynamicAgentLoading',
      '-Dfile.encoding=UTF-8',
    ];
    const child = spawn(
      java,
      [
        ...jvm,
        `-Dnode.environment=test`,
        `-Dconfig=${join(etc, 'config.properties')}`,
        `-Dlog.levels-file=${join(etc, 'log.properties')}`,
        `-Detc-dir=${etc}`,
        '-cp',
        `${join(home, 'lib')}/*`,
        'io.trino.server.TrinoServer',
      ],
      { cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const keep = (d: Buffer) => {
      output = (output + d.toString()).slice(-20000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const server = new TrinoServer(child, `http://127.0.0.1:${port}`, () => output);
    await server.waitUntilStarted();
    return server;
  }

  private async waitUntilStarted(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) throw new Error(`Trino exited with ${this.process.exitCode}:\n${this.log()}`);
      try {
        const info = (await (await fetch(`${this.url}/v1/info`)).json()) as {
          starting: boolean;
        };
        if (!info.starting) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`Trino did not start within ${timeoutMs / 1000} s:\n${this.log()}`);
  }

  /** Runs one statement in `memory.<schema>` and returns every row, or throws Trino's error message. */
  async query(sql: string, schema = 'investigations'): Promise<QueryResult> {
    const headers = {
      'X-Trino-User': 'investigations-test',
      'X-Trino-Catalog': 'memory',
      'X-Trino-Schema': schema,
      'X-Trino-Time-Zone': 'UTC',
    };
    let response = (await (
      await fetch(`${this.url}/v1/statement`, {
        method: 'POST',
        body: sql,
        headers,
      })
    ).json()) as StatementResponse;
    let columns: string[] = [];
    const rows: unknown[][] = [];
    for (;;) {
      if (response.error) throw new Error(`Trino: ${response.error.errorName}: ${response.error.message}\n${sql}`);
      if (response.columns) columns = response.columns.map((c) => c.name);
      if (response.data) rows.push(...response.data);
      if (!response.nextUri) break;
      response = (await (await fetch(response.nextUri, { headers })).json()) as StatementResponse;
    }
    return { columns, rows };
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null) return;
    const exited = new Promise((r) => this.process.once('exit', r));
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

interface StatementResponse {
  readonly nextUri?: string;
  readonly columns?: readonly { name: string }[];
  readonly data?: unknown[][];
  readonly error?: { errorName: string; message: string };
}
