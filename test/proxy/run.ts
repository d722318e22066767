/**
 * `npm run test:proxy` (part of `npm run test:long`): the app under `wrangler dev`, Stoplight Prism's
 * validating proxy in front of it (`prism proxy`, installed in test/proxy on first use), both on
 * 127.0.0.1, and the requests of traffic.ts sent through the proxy. Each answer is judged twice: by
 * Prism (its `sl-violations` header) and by the tests' own contract check. Prints the counts; exits
 * 1 on any violation of the document by an answer. Requests that break the document are expected
 * (the fuzzed part sends them on purpose) and only counted. PROXY_FUZZ_RUNS sets the fuzzed part's size.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startLocalStack } from "../../scripts/local-stack.ts";
import { Contract, type OpenApiDocument } from "../support/openapi-contract.ts";
import { headersAndBody } from "../support/request-init.ts";
import { hostile, type Init, matrix, realistic, type Send } from "./traffic.ts";

const HERE = import.meta.dirname;
const PRISM = join(HERE, "node_modules", "@stoplight", "prism-cli", "dist", "index.js");
const FUZZ_RUNS = Number(process.env.PROXY_FUZZ_RUNS) || 400;

/** Prism, from its own lock file; no install script runs, and Scarf's install analytics are off. */
function installPrism(): void {
  if (existsSync(PRISM)) return;
  const npm = spawnSync("npm", ["ci", "--prefix", HERE, "--no-audit", "--no-fund"], {
    stdio: "inherit",
    env: { ...process.env, SCARF_ANALYTICS: "false" },
  });
  if (npm.status !== 0) throw new Error("npm ci --prefix test/proxy failed");
}

/** `prism proxy` on 127.0.0.1:port in front of upstream, once it says it listens. */
async function startPrism(document: string, upstream: string, port: number): Promise<ChildProcess> {
  const prism = spawn(
    process.execPath,
    [PRISM, "proxy", document, upstream, "--host", "127.0.0.1", "--port", String(port), "--errors=false", "-v", "warn"],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, SCARF_ANALYTICS: "false" },
    },
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  prism.stdout.on("data", keep);
  prism.stderr.on("data", keep);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${port}/v1/openapi.json`);
      return prism;
    } catch {
      if (prism.exitCode !== null || Date.now() > deadline) throw new Error(`prism did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

interface Violation {
  location?: string[];
  severity?: string;
  message?: string;
}

/** Prism's violations header: JSON, or cut short past 8 KB ("Too many violations! [..."): read what is whole. */
function violationsOf(header: string | null): Violation[] {
  if (!header) return [];
  try {
    return JSON.parse(header) as Violation[];
  } catch {
    const whole =
      header.match(/\{"location":\[[^\]]*\],"severity":"\w+"(,"code":[^,]*)?,"message":"(\\.|[^"\\])*"\}/g) ?? [];
    return whole.map((v) => JSON.parse(v) as Violation);
  }
}

/**
 * The proxy can fail: given the document without POST /v1/sessions' 415, it must flag the app's 415 to
 * a body that is not JSON. Runs on a prism of its own, so the run's own traffic meets the true document.
 */
async function plantedCaught(document: OpenApiDocument, folder: string, upstream: string, key: string) {
  const doctored = structuredClone(document) as { paths: Record<string, Record<string, { responses: object }>> };
  delete (doctored.paths["/v1/sessions"]!.post!.responses as Record<string, unknown>)["415"];
  const file = join(folder, "doctored.json");
  writeFileSync(file, JSON.stringify(doctored));
  const port = await freePort();
  const planted = await startPrism(file, upstream, port);
  try {
    const res = await fetch(`http://127.0.0.1:${port}/v1/sessions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "text/plain" },
      body: "seller_id=s-1",
    });
    await res.text();
    const flagged = violationsOf(res.headers.get("sl-violations")).filter((v) => v.location?.[0] === "response");
    return { status: res.status, flagged: flagged.map((v) => v.message).join("; ") };
  } finally {
    planted.kill();
  }
}

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

const counts = {
  requests: 0,
  notCarried: 0,
  unanswered: 0,
  byApp: 0,
  byProxy: 0,
  requestsOffDocument: 0,
  answersOffDocument: 0,
  contractProblems: 0,
};
const pairs = new Set<string>();
const reported: string[] = [];

installPrism();
const persistTo = mkdtempSync(join(tmpdir(), "sellerpulse-proxy-"));
const [appPort, proxyPort] = [await freePort(), await freePort()];
const stack = await startLocalStack({ port: appPort, persistTo, quiet: true, logLevel: "warn" });
let prism: ChildProcess | undefined;
try {
  const documentText = await (await fetch(`${stack.url}/v1/openapi.json`)).text();
  const documentFile = join(persistTo, "openapi.json");
  writeFileSync(documentFile, documentText);
  const document = JSON.parse(documentText) as OpenApiDocument;
  const contract = new Contract(document);
  const planted = await plantedCaught(document, persistTo, stack.url, stack.demoKey);
  console.log(
    `planted: POST /v1/sessions answered ${planted.status} where the document lacks it; prism: ${planted.flagged || "nothing"}`,
  );
  if (planted.status !== 415 || !planted.flagged) throw new Error("the proxy did not catch the planted mismatch");
  prism = await startPrism(documentFile, stack.url, proxyPort);
  const proxy = `http://127.0.0.1:${proxyPort}`;

  const send: Send = async (method: string, path: string, init: Init = {}) => {
    const { headers, body } = headersAndBody(init);
    counts.requests++;
    // Prism parses a JSON body before it forwards it, and never answers one that is not JSON: such a
    // request is left out here (the Workers fuzz suite sends it, and checks the answer, in process).
    if (/json/.test(headers.get("Content-Type") ?? "") && body !== undefined && !isJson(body)) {
      counts.notCarried++;
      return { status: 0, headers: new Headers(), text: "" };
    }
    let res: Response;
    try {
      res = await fetch(`${proxy}${path}`, { method, headers, body, signal: AbortSignal.timeout(60_000) });
    } catch (error) {
      reported.push(`unanswered: ${method} ${path}: ${error}`);
      counts.unanswered++;
      return { status: 0, headers: new Headers(), text: "" };
    }
    const text = await res.text();
    // Every answer of the app carries its security headers; one without them is the proxy's own
    // (a body it could not parse, say), which says nothing of the app.
    if (!res.headers.has("strict-transport-security")) {
      counts.byProxy++;
      return { status: res.status, headers: res.headers, text };
    }
    counts.byApp++;
    const violations = violationsOf(res.headers.get("sl-violations"));
    if (violations.some((v) => v.location?.[0] === "request")) counts.requestsOffDocument++;
    const offAnswer = violations.filter((v) => v.location?.[0] === "response");
    if (offAnswer.length > 0) counts.answersOffDocument++;
    for (const v of offAnswer)
      reported.push(
        `prism: ${method} ${path} → ${res.status}: ${(v.location ?? []).join(".")} ${v.message} (${v.severity})`,
      );
    const verdict = contract.check({
      method,
      url: `${proxy}${path}`,
      status: res.status,
      headers: res.headers,
      body: text,
    });
    pairs.add(verdict.pair);
    counts.contractProblems += verdict.problems.length;
    reported.push(...verdict.problems.map((p) => `contract: ${p}`));
    return { status: res.status, headers: res.headers, text };
  };

  const operations = Object.entries(document.paths).flatMap(([template, item]) =>
    Object.keys(item).map((method) => [method, template] as [string, string]),
  );
  const cron = async () => {
    const fired = await fetch(`${stack.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("5 * * * *")}`);
    await fired.text();
  };
  const started = performance.now();
  const made = await realistic(send, stack.demoKey, cron);
  const afterRealistic = counts.requests;
  await matrix(send, operations, made);
  const afterMatrix = counts.requests;
  await hostile(send, operations, made, FUZZ_RUNS);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);

  for (const line of reported) console.log(line);
  console.log(
    `${counts.requests} requests through prism proxy in ${seconds} s (${afterRealistic} realistic, ${afterMatrix - afterRealistic} access matrix, ${counts.requests - afterMatrix} fuzzed): ` +
      `${counts.byApp} answered by the app, ${counts.byProxy} by the proxy itself, ${counts.unanswered} unanswered, ${counts.notCarried} not sent (a JSON body that is not JSON, which prism cannot carry); ` +
      `requests off the document (expected): ${counts.requestsOffDocument}; ` +
      `answers off the document: ${counts.answersOffDocument} by prism, ${counts.contractProblems} by the contract check; ` +
      `${pairs.size} distinct (route, status) pairs`,
  );
  process.exitCode = counts.answersOffDocument + counts.contractProblems + counts.unanswered > 0 ? 1 : 0;
} finally {
  prism?.kill();
  await stack.stop();
  rmSync(persistTo, { recursive: true, force: true });
}
