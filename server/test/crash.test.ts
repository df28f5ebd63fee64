/**
 * Durability under SIGKILL: a real server process is killed while a client writes; after a restart,
 * every update that another client had received is still there.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createCard, readCards } from '@delivery-board/schema/boardDoc';
import { connectClient, createBoard, registerUser, tempDir, waitFor, waitSynced } from './helpers.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** Starts `node --import tsx server/src/main.ts` on a free port; resolves once it listens. */
function startProcess(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const m = /"port":(\d+)/.exec(buf);
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}` });
    });
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
  });
}

describe('crash durability', () => {
  it('SIGKILL at a random moment loses nothing another client had received', async () => {
    const dataDir = tempDir();
    const first = await startProcess(dataDir);
    const owner = await registerUser(first.url, 'Kim Killer');
    const boardId = await createBoard(first.url, owner);
    const writer = connectClient(first.url, boardId, owner);
    const watcher = connectClient(first.url, boardId, owner);
    await Promise.all([waitSynced(writer), waitSynced(watcher)]);

    let n = 0;
    const timer = setInterval(() => createCard(writer.doc, { title: `card ${n++}` }, owner.id), 2);
    await new Promise((r) => setTimeout(r, 300 + Math.random() * 400));
    first.child.kill('SIGKILL');
    clearInterval(timer);
    // What the watcher holds now came through the server before it died.
    const received = new Set(readCards(watcher.doc).map((c) => c.title));
    writer.provider.destroy();
    watcher.provider.destroy();
    expect(received.size).toBeGreaterThan(20);

    const second = await startProcess(dataDir);
    const reader = connectClient(second.url, boardId, owner);
    await waitSynced(reader);
    const stored = new Set(readCards(reader.doc).map((c) => c.title));
    const missing = [...received].filter((t) => !stored.has(t));
    expect(missing).toEqual([]);
    second.child.kill('SIGTERM');
    await waitFor(() => second.child.exitCode !== null, 5000, 'graceful exit');
    expect(second.child.exitCode).toBe(0);
  });
});
