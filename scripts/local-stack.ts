/**
 * The local stack: `.dev.vars`, D1 migrations, the demo platform and `wrangler dev`, started
 * from Node. Used by `npm start`, the browser tests and the benchmarks; `stop()` ends it all.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sha256Hex } from "../src/auth/api-key.ts";
import { createPlatformSql } from "../src/db/admin-sql.ts";

export const ROOT = join(import.meta.dirname, "..");
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");

export interface LocalStack {
  url: string;
  demoKey: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  port: number;
  /** Where Miniflare keeps its state; default .wrangler/state (kept between runs). */
  persistTo?: string;
  /** Hide wrangler's own output entirely. */
  quiet?: boolean;
  /** wrangler's --log-level (e.g. "warn" hides the line it logs for every request). */
  logLevel?: string;
}

/** Reads .dev.vars (created from .dev.vars.example when missing). */
export function devVars(): Record<string, string> {
  const path = join(ROOT, ".dev.vars");
  if (!existsSync(path)) copyFileSync(join(ROOT, ".dev.vars.example"), path);
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const match = line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/);
    if (match) vars[match[1]!] = match[2]!.replace(/^"(.*)"$/, "$1");
  }
  return vars;
}

/** Runs a wrangler command to completion, throwing with its output when it fails. */
export function wrangler(args: string[]): string {
  const result = spawnSync(WRANGLER, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Creates a platform and key in the local (or remote) D1; idempotent. */
export async function createPlatform(args: { id: string; currency: string; key: string; label: string; location: string[] }): Promise<void> {
  const keyHash = await sha256Hex(args.key);
  const sql = createPlatformSql({ id: args.id, currency: args.currency, keyHash, label: args.label, now: new Date().toISOString() });
  wrangler(["d1", "execute", "DB", ...args.location, "--command", sql.join("; ")]);
}

export async function startLocalStack(options: StackOptions): Promise<LocalStack> {
  const demoKey = devVars().DEMO_PLATFORM_KEY;
  if (!demoKey) throw new Error(".dev.vars has no DEMO_PLATFORM_KEY (see .dev.vars.example)");
  const location = ["--local", ...(options.persistTo ? ["--persist-to", options.persistTo] : [])];
  wrangler(["d1", "migrations", "apply", "DB", ...location]);
  await createPlatform({ id: "demo", currency: "USD", key: demoKey, label: "local demo", location });

  const child = spawn(
    WRANGLER,
    [
      "dev",
      "--port",
      String(options.port),
      "--ip",
      "127.0.0.1",
      ...location.slice(1),
      ...(options.logLevel ? ["--log-level", options.logLevel] : []),
    ],
    { cwd: ROOT, detached: true, stdio: options.quiet ? "ignore" : "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
  );
  const url = `http://127.0.0.1:${options.port}`;
  const stop = () => stopProcessGroup(child);
  try {
    await waitForHttp(`${url}/v1/openapi.json`, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, demoKey, stop };
}

/** Starts any Worker config under `wrangler dev` (the benchmarks' hello-world baseline). */
export async function startWorker(config: string, port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(WRANGLER, ["dev", "--config", config, "--port", String(port), "--ip", "127.0.0.1"], {
    cwd: ROOT,
    detached: true,
    stdio: "ignore",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url, child);
  return { url, stop: () => stopProcessGroup(child) };
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      resolve();
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      resolve();
    }, 5_000).unref();
  });
}
