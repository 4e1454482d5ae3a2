/**
 * Who is running a run: host, PID, and (on Linux) the boot and the process start time that make
 * the PID unambiguous. A PID alone names whichever process has it now; after a crash it may have
 * been given to another process, which must not keep the crashed run locked forever.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isProcessAlive, processStartTime } from '../process-identity.js';

export interface Owner {
  readonly host: string;
  readonly pid: number;
  /** /proc/sys/kernel/random/boot_id: another value means the machine rebooted since. */
  readonly bootId: string | null;
  /** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
  readonly startTime: string | null;
}

/** 'other-host': this machine cannot tell whether a process elsewhere is alive. */
export type OwnerState = 'alive' | 'dead' | 'other-host';

function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

export function currentOwner(): Owner {
  return { host: hostname(), pid: process.pid, bootId: bootId(), startTime: processStartTime(process.pid) };
}

/** `host:pid`, then `:bootId:startTime` when both are known (older stores hold `host:pid` alone). */
export function formatOwner(o: Owner): string {
  return o.bootId !== null && o.startTime !== null ? `${o.host}:${o.pid}:${o.bootId}:${o.startTime}` : `${o.host}:${o.pid}`;
}

export function parseOwner(text: string): Owner | null {
  const full = /^(.*):(\d+):([0-9a-f-]+):(\d+)$/i.exec(text);
  if (full) return { host: full[1]!, pid: Number(full[2]), bootId: full[3]!, startTime: full[4]! };
  const short = /^(.*):(\d+)$/.exec(text);
  return short ? { host: short[1]!, pid: Number(short[2]), bootId: null, startTime: null } : null;
}

/** Whether the process an owner names is still the one running. */
export function ownerState(o: Owner, here: Owner = currentOwner()): OwnerState {
  if (o.host !== here.host) return 'other-host';
  if (o.bootId !== null && here.bootId !== null && o.bootId !== here.bootId) return 'dead';
  return isProcessAlive(o.pid, o.startTime) ? 'alive' : 'dead';
}

/** The owner as a person reads it. */
export function describeOwner(o: Owner): string {
  return `process ${o.pid} on host ${o.host}`;
}
