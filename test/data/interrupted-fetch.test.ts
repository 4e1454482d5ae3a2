import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStartTime } from '../../src/process-identity.js';
import { nasbenchAsync, startNasbench } from '../../support/cli.js';
import { exited, sleep } from '../../support/kill.js';
import { tempDir } from './fixtures.js';

/** Serves every file as 4 MB trickled out 16 kB every 50 ms: a fetch is still running seconds later. */
let slow: Server;
let slowUrl: string;
beforeAll(async () => {
  slow = createServer((_req, res) => {
    res.writeHead(200, { 'content-length': 4 << 20, 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(16 << 10, 'w ');
    const timer = setInterval(() => res.write(chunk), 50);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
});
afterAll(() => {
  slow.closeAllConnections();
  slow.close();
});

const fetchDirs = (dataDir: string) => readdirSync(dataDir).filter((name) => name.startsWith('.fetch-'));

/** Starts `data fetch ptb` from the slow server and waits until its work directory holds downloaded bytes. */
async function fetchUnderWay(dataDir: string) {
  const child = startNasbench(['data', 'fetch', 'ptb', '--data-dir', dataDir, '--mirror', slowUrl]);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const started = Date.now();
  for (;;) {
    const [work] = existsSync(dataDir) ? fetchDirs(dataDir) : [];
    const partial = work ? readdirSync(join(dataDir, work)).map((f) => statSync(join(dataDir, work, f)).size) : [];
    if (partial.some((size) => size > 0)) return { child, work: work as string, stderr: () => stderr };
    if (Date.now() - started > 30_000) throw new Error(`the fetch never started writing: ${stderr}`);
    await sleep(50);
  }
}

describe('an interrupted data fetch', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: the fetch removes its partial files before exiting', async (signal) => {
    const dataDir = tempDir();
    const { child, work } = await fetchUnderWay(dataDir);
    expect(work).toMatch(new RegExp(`^\\.fetch-${child.pid}-`));
    child.kill(signal);
    expect(await exited(child)).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(fetchDirs(dataDir)).toEqual([]);
    expect(readdirSync(dataDir)).toEqual([]);
  }, 60_000);

  it('kill -9: the next fetch removes what the dead one left, and leaves a live fetch’s directory alone', async () => {
    const dataDir = tempDir();
    const { child, work } = await fetchUnderWay(dataDir);
    child.kill('SIGKILL');
    await exited(child);
    expect(fetchDirs(dataDir)).toEqual([work]);
    // A fetch of this (live) process, and one whose pid is live but belongs to a process started at another time (a reused pid).
    const live = `.fetch-${process.pid}-${processStartTime(process.pid)}-live01`;
    const reused = `.fetch-${process.pid}-1-reus01`;
    for (const name of [live, reused]) {
      mkdirSync(join(dataDir, name));
      writeFileSync(join(dataDir, name, 'partial'), 'x');
    }
    const next = await nasbenchAsync(['data', 'fetch', 'ptb', '--data-dir', dataDir, '--mirror', `${slowUrl.replace(/:\d+$/, ':9')}`]);
    expect(next.status).toBe(2);
    expect(next.stderr.trim().split('\n')).toHaveLength(1);
    expect(fetchDirs(dataDir)).toEqual([live]);
  }, 60_000);
});
