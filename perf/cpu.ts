/**
 * CPU time of a process group's workerd processes and their children (user + system, from
 * /proc/<pid>/stat), the steadier measure on a shared machine and what Cloudflare bills as CPU:
 * a scenario's figure is the difference over it. Linux only; elsewhere it reads null.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc's time fields (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** The fields of one /proc/<pid>/stat line that say whose process it is and what it has used, in ticks. */
export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  group: number;
  /** User and system time of the process itself (all its threads). */
  utime: number;
  stime: number;
  /** User and system time of its children that have ended and been waited for. */
  cutime: number;
  cstime: number;
}

/** Parses a /proc/<pid>/stat line; null if it is not one. */
export function parseStat(line: string): ProcStat | null {
  // pid (comm) state ppid pgrp ...: comm may hold spaces and ")", so fields count from its last ")".
  const open = line.indexOf("(");
  const close = line.lastIndexOf(")");
  if (open < 1 || close < open) return null;
  const fields = line.slice(close + 2).split(" ");
  const numbers = [1, 2, 11, 12, 13, 14].map((i) => Number(fields[i]));
  if (fields.length < 15 || numbers.some((n) => !Number.isInteger(n) || n < 0)) return null;
  const [ppid, group, utime, stime, cutime, cstime] = numbers as [number, number, number, number, number, number];
  return {
    pid: Number(line.slice(0, open).trim()),
    comm: line.slice(open + 1, close),
    ppid,
    group,
    utime,
    stime,
    cutime,
    cstime,
  };
}

/**
 * CPU milliseconds of the workerd processes of `group` and of every process below one of them
 * (whatever its group), counting the ended children each has waited for. A child still running
 * is counted once, by itself; it moves into its parent's cutime/cstime only when it ends.
 */
export function workerdCpuMsOf(stats: readonly ProcStat[], group: number): number {
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const counted = new Set<number>();
  const stack = stats.filter((s) => s.comm === "workerd" && s.group === group);
  let ticks = 0;
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (counted.has(s.pid)) continue;
    counted.add(s.pid);
    ticks += s.utime + s.stime + s.cutime + s.cstime;
    stack.push(...(children.get(s.pid) ?? []));
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** CPU milliseconds used so far by the workerd processes of process group `group`; null without /proc. */
export function workerdCpuMs(group: number): number | null {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const stats: ProcStat[] = [];
  for (const pid of pids) {
    try {
      const stat = parseStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
      if (stat) stats.push(stat);
    } catch {
      // gone since the listing
    }
  }
  return workerdCpuMsOf(stats, group);
}

/** CPU milliseconds per 1,000 events; null when nothing was measured. */
export function perThousand(cpuMs: number | null, events: number): number | null {
  return cpuMs === null || events <= 0 ? null : (cpuMs * 1000) / events;
}

/**
 * The app's share of the bare pipeline, in percent (higher is better for both): by throughput,
 * its events/s over the bare pipeline's; by CPU, the bare pipeline's CPU per event over its own.
 */
export function shareOfBare(
  app: { eventsPerSecond: number; cpuPerThousand: number | null },
  bare: { eventsPerSecond: number; cpuPerThousand: number | null },
): { throughput: number; cpu: number | null } {
  const cpu = app.cpuPerThousand && bare.cpuPerThousand ? (100 * bare.cpuPerThousand) / app.cpuPerThousand : null;
  return { throughput: (100 * app.eventsPerSecond) / bare.eventsPerSecond, cpu };
}
