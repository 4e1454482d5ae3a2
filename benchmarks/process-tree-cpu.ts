/**
 * CPU time (user + system) spent by a process and all its descendants over a stretch of time,
 * and the load average meanwhile, read from Linux's /proc by sampling. Workers of every kind are
 * descendants of the benchmark (local worker processes, `nasbench worker` processes and their
 * sandboxed processors, redis-server), so this is what the evaluations cost in CPU whatever runs
 * them; a sandboxed processor that outlives its worker is not reaped by it, so the kernel's
 * children totals (cutime) would miss it: sampling does not.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface Stat {
  readonly pid: number;
  readonly ppid: number;
  /** pid and start time: a pid the kernel reuses is another process. */
  readonly key: string;
  readonly cpuSeconds: number;
}

function readStat(pid: string): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const [ppid, utime, stime, start] = [fields[1], fields[11], fields[12], fields[19]].map(Number) as [number, number, number, number];
    return { pid: Number(pid), ppid, key: `${pid}@${start}`, cpuSeconds: (utime + stime) / TICKS_PER_SECOND };
  } catch {
    return null; // gone between listing and reading
  }
}

/** The root and its descendants now, with their CPU seconds so far. */
function treeOf(root: number): Stat[] {
  const all = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(readStat).filter((s): s is Stat => s !== null);
  const children = new Map<number, Stat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const tree: Stat[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) (tree.push(child), visit(child.pid));
  };
  const self = all.find((s) => s.pid === root);
  if (self) tree.push(self);
  visit(root);
  return tree;
}

export interface TreeUsage {
  readonly cpuSeconds: number;
  /** Mean 1-minute load average over the samples. */
  readonly meanLoad: number;
}

/**
 * Starts sampling every `everyMs`; stop() returns the CPU seconds the tree spent since the start
 * (processes already running count from their CPU time at the start; a process that exits
 * between samples loses at most its last interval).
 */
export function sampleTreeCpu(root = process.pid, everyMs = 1000): { stop(): TreeUsage } {
  const baseline = new Map(treeOf(root).map((s) => [s.key, s.cpuSeconds]));
  const latest = new Map<string, number>();
  const loads: number[] = [loadavg()[0]!];
  const sample = () => {
    for (const s of treeOf(root)) latest.set(s.key, s.cpuSeconds);
    loads.push(loadavg()[0]!);
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      let cpuSeconds = 0;
      for (const [key, seconds] of latest) cpuSeconds += seconds - (baseline.get(key) ?? 0);
      return { cpuSeconds, meanLoad: loads.reduce((a, b) => a + b, 0) / loads.length };
    },
  };
}
