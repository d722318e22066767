import { defineConfig } from "drizzle-kit";

// Generates SQL migrations for D1 from the tables each feature keeps in src/<feature>/*-tables.ts; wrangler applies them.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/**/*-tables.ts",
  out: "./migrations",
});
