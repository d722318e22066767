/**
 * The local stack: `.dev.vars`, D1 migrations, the `demo` platform and `wrangler dev`, started
 * from Node. Used by `npm start`, the browser tests and the benchmarks; `stop()` ends the
 * whole process group (wrangler, workerd, esbuild), and so does this process's exit.
 * It only ever listens on 127.0.0.1.
 */

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { isKeyShaped, sha256Hex } from "../src/auth/api-key.ts";
import { createPlatformSql } from "../src/db/admin-sql.ts";

export const ROOT = join(import.meta.dirname, "..");
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");
// No telemetry, and no fetching of Cloudflare's `Request.cf` sample: local means offline.
const ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

/** A loopback port free right now (the system picks it), for a stack or proxy started next. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface LocalStack {
  url: string;
  demoKey: string;
  stop(): Promise<void>;
  /** wrangler's process group: workerd's CPU time is read from its members (perf/cpu.ts). */
  group: number;
}

export interface StackOptions {
  port: number;
  /** Where Miniflare keeps its state; default .wrangler/state (kept between runs). */
  persistTo?: string;
  /** Hide wrangler's own output (it is shown anyway if wrangler fails to start). */
  quiet?: boolean;
  /** wrangler's --log-level (e.g. "warn" hides the line it logs for every request). */
  logLevel?: string;
  /** The DevTools inspector's port (the benchmarks' --profile connects to it). */
  inspectorPort?: number;
  /** wrangler.toml [vars] to override for this run (the demo's smaller benchmark cohorts). */
  vars?: Record<string, string>;
  /** Each line wrangler prints (the Worker's logs among them); with it, wrangler's output is not shown. */
  onLine?: (line: string) => void;
}

/** The NAME=value lines of a .dev.vars file. */
function parseVars(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/);
    if (match) vars[match[1]!] = match[2]!.replace(/^"(.*)"$/, "$1");
  }
  return vars;
}

/**
 * Reads .dev.vars: created from .dev.vars.example when missing, and given the example's values
 * for any name it lacks (a checkout older than a new secret still starts).
 */
export function devVars(): Record<string, string> {
  const path = join(ROOT, ".dev.vars");
  const example = readFileSync(join(ROOT, ".dev.vars.example"), "utf8");
  if (!existsSync(path)) copyFileSync(join(ROOT, ".dev.vars.example"), path);
  const vars = parseVars(readFileSync(path, "utf8"));
  const missing = Object.entries(parseVars(example)).filter(([name]) => !(name in vars));
  if (missing.length > 0) {
    appendFileSync(path, `\n${missing.map(([name, value]) => `${name}=${value}`).join("\n")}\n`);
    console.log(`.dev.vars: added ${missing.map(([name]) => name).join(", ")} from .dev.vars.example`);
  }
  return { ...Object.fromEntries(missing), ...vars };
}

/** What scripts and tests read of wrangler.toml. */
interface WranglerConfig {
  triggers: { crons?: string[] };
  ratelimits: { name: string; simple: { limit: number; period: number } }[];
  queues: { consumers?: { queue: string; max_retries?: number; max_batch_size?: number }[] };
  vars: Record<string, string>;
}

/** wrangler.toml as wrangler reads it: the one source of the crons, the limits and the bindings. */
export async function wranglerConfig(): Promise<WranglerConfig> {
  const { unstable_readConfig } = await import("wrangler");
  return unstable_readConfig({ config: join(ROOT, "wrangler.toml") });
}

/** Runs a wrangler command to completion, throwing with its output when it fails. */
function wrangler(args: string[]): string {
  const result = spawnSync(WRANGLER, args, { cwd: ROOT, encoding: "utf8", env: ENV });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Applies the D1 migrations of another Worker's config (a benchmark's) to its local state. */
export function applyMigrations(config: string, persistTo: string): void {
  wrangler(["d1", "migrations", "apply", "DB", "--local", "--config", config, "--persist-to", persistTo]);
}

/** Runs SQL with `wrangler d1 execute DB` and returns the rows of each statement. */
export function d1(sql: string, location: string[]): Record<string, unknown>[][] {
  const output = wrangler(["d1", "execute", "DB", ...location, "--json", "--command", sql]);
  const results = JSON.parse(output) as { results: Record<string, unknown>[] }[];
  return results.map((r) => r.results);
}

/** Creates a platform (if new) and adds a key to it, in the local (or remote) D1; idempotent. */
export async function createPlatform(args: {
  id: string;
  currency: string;
  key: string;
  label: string;
  location: string[];
}): Promise<void> {
  const keyHash = await sha256Hex(args.key);
  const sql = createPlatformSql({
    id: args.id,
    currency: args.currency,
    keyHash,
    label: args.label,
    now: new Date().toISOString(),
  });
  wrangler(["d1", "execute", "DB", ...args.location, "--command", sql.join("; ")]);
}

export async function startLocalStack(options: StackOptions): Promise<LocalStack> {
  const demoKey = devVars().DEMO_PLATFORM_KEY;
  if (!demoKey) throw new Error(".dev.vars has no DEMO_PLATFORM_KEY (see .dev.vars.example)");
  if (!isKeyShaped(demoKey))
    throw new Error('.dev.vars: DEMO_PLATFORM_KEY must be "spk_" and 16 to 200 letters, digits, "_" or "-"');
  const url = `http://127.0.0.1:${options.port}`;
  await assertPortFree(url);
  const location = ["--local", ...(options.persistTo ? ["--persist-to", options.persistTo] : [])];
  wrangler(["d1", "migrations", "apply", "DB", ...location]);
  await createPlatform({ id: "demo", currency: "USD", key: demoKey, label: "local demo", location });

  // Crons never fire under `wrangler dev`: callers trigger them with GET /cdn-cgi/local/scheduled
  // (npm start does, hourly); --test-scheduled also silences wrangler's warning about it.
  const args = [
    "dev",
    "--port",
    String(options.port),
    "--ip",
    "127.0.0.1",
    "--show-interactive-dev-session=false",
    "--test-scheduled",
    ...location.slice(1),
  ];
  if (options.logLevel) args.push("--log-level", options.logLevel);
  if (options.inspectorPort) args.push("--inspector-port", String(options.inspectorPort));
  // Session links point at this stack, whatever port it runs on.
  const vars = { DASHBOARD_ORIGIN: url, ...options.vars };
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  const worker = startProcessGroup(args, options.quiet ?? false, options.onLine);
  await worker.ready(`${url}/v1/openapi.json`);
  return { url, demoKey, stop: worker.stop, group: worker.group };
}

/** Starts any Worker config under `wrangler dev` (the benchmarks' hello-world baseline, the ledger alone). */
export async function startWorker(
  config: string,
  port: number,
  persistTo?: string,
  extra: { vars?: Record<string, string>; onLine?: (line: string) => void } = {},
): Promise<{ url: string; stop(): Promise<void>; group: number }> {
  const url = `http://127.0.0.1:${port}`;
  await assertPortFree(url);
  const args = [
    "dev",
    "--config",
    config,
    "--port",
    String(port),
    "--ip",
    "127.0.0.1",
    "--show-interactive-dev-session=false",
  ];
  for (const [name, value] of Object.entries(extra.vars ?? {})) args.push("--var", `${name}:${value}`);
  const worker = startProcessGroup([...args, ...(persistTo ? ["--persist-to", persistTo] : [])], true, extra.onLine);
  await worker.ready(url);
  return { url, stop: worker.stop, group: worker.group };
}

/** Something already answering there (an earlier `npm start`?) would be mistaken for ours. */
async function assertPortFree(url: string): Promise<void> {
  try {
    await (await fetch(url, { signal: AbortSignal.timeout(1000) })).arrayBuffer();
  } catch {
    return;
  }
  throw new Error(`${url} is already in use (is another \`npm start\` or \`wrangler dev\` running?)`);
}

/**
 * `wrangler dev` in its own process group, so that stopping it also stops workerd and esbuild.
 * Its stdin is never the terminal: wrangler's hot keys would take over Ctrl-C.
 */
function startProcessGroup(args: string[], quiet: boolean, onLine?: (line: string) => void) {
  const piped = quiet || onLine !== undefined;
  const child = spawn(WRANGLER, args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", piped ? "pipe" : "inherit", piped ? "pipe" : "inherit"],
    env: ENV,
  });
  // Kept quietly, and shown only if wrangler fails to start; each line to `onLine`, if given.
  let recent = "";
  const keeper = () => {
    let partial = "";
    return (chunk: Buffer) => {
      recent = (recent + chunk.toString()).slice(-4000);
      if (!onLine) return;
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    };
  };
  child.stdout?.on("data", keeper());
  child.stderr?.on("data", keeper());

  const killGroup = (signal: NodeJS.Signals | 0) => {
    try {
      process.kill(-child.pid!, signal);
      return true;
    } catch {
      return false; // the group is gone
    }
  };
  const onExit = () => killGroup("SIGKILL");
  process.once("exit", onExit);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      process.off("exit", onExit);
      if (!killGroup("SIGTERM")) return;
      // Until every member of the group has gone (signal 0 only checks), then the hard way.
      for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
        await sleep(100);
        if (!killGroup(0)) return;
      }
      killGroup("SIGKILL");
    })());

  const ready = async (url: string, timeoutMs = 120_000) => {
    try {
      await waitForHttp(url, child, timeoutMs);
    } catch (error) {
      await stop();
      const output = recent.trim() ? `\n--- wrangler's last output ---\n${recent.trim()}` : "";
      throw new Error(`${(error as Error).message}${output}`);
    }
  };
  return { ready, stop, group: child.pid! };
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}
