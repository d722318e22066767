// Copies Chart.js's UMD build from node_modules into public/vendor, so that the dashboard
// serves its own copy (no CDN). Run by wrangler's [build] step before dev and deploy.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

// chart.js exports no package.json; its main entry sits in dist/ beside the UMD build.
const chartDist = dirname(createRequire(import.meta.url).resolve("chart.js"));
const target = join(import.meta.dirname, "..", "public", "vendor");
mkdirSync(target, { recursive: true });
copyFileSync(join(chartDist, "chart.umd.min.js"), join(target, "chart.umd.min.js"));
