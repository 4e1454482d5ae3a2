import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { currentOwner, formatOwner, ownerState, parseOwner } from '../../src/harness/ownership.js';

const linux = process.platform === 'linux';

describe('who owns a run, and whether it is still alive', () => {
  it('records host, pid, boot id and the process start time, and reads them back', () => {
    const me = currentOwner();
    expect(me.host).toBe(hostname());
    expect(me.pid).toBe(process.pid);
    if (linux) {
      expect(me.bootId).toBe(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
      expect(me.startTime).toMatch(/^\d+$/);
    }
    expect(parseOwner(formatOwner(me))).toEqual(me);
    expect(ownerState(me)).toBe('alive');
  });

  it('reads the owners stored before start times were recorded', () => {
    expect(parseOwner(`${hostname()}:${process.pid}`)).toEqual({ host: hostname(), pid: process.pid, bootId: null, startTime: null });
    expect(ownerState(parseOwner(`${hostname()}:${process.pid}`)!)).toBe('alive');
  });

  it('a process that has exited is dead', () => {
    const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const pid = Number(child.stdout.trim());
    expect(ownerState({ ...currentOwner(), pid })).toBe('dead');
  });

  it.skipIf(!linux)('a reused PID (a live process that started at another time) is dead, so is an owner from before a reboot (needs /proc)', () => {
    const me = currentOwner();
    expect(ownerState({ ...me, startTime: String(Number(me.startTime) + 1) })).toBe('dead');
    expect(ownerState({ ...me, bootId: '00000000-0000-0000-0000-000000000000' })).toBe('dead');
  });

  it('an owner on another host cannot be checked', () => {
    expect(ownerState({ ...currentOwner(), host: `not-${hostname()}` })).toBe('other-host');
  });
});
