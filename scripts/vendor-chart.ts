// Copies Chart.js's UMD build and its matrix chart (the dashboard's heat map) from node_modules
// into public/vendor, so that the dashboard serves its own copies (no CDN). Run by wrangler's
// [build] step before dev and deploy.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const target = join(import.meta.dirname, "..", "public", "vendor");
mkdirSync(target, { recursive: true });
// Neither package exports its package.json; each main entry sits in dist/ beside the UMD build.
const chartDist = dirname(require.resolve("chart.js"));
copyFileSync(join(chartDist, "chart.umd.min.js"), join(target, "chart.umd.min.js"));
const matrixDist = dirname(require.resolve("chartjs-chart-matrix"));
copyFileSync(join(matrixDist, "chartjs-chart-matrix.min.js"), join(target, "chartjs-chart-matrix.min.js"));
