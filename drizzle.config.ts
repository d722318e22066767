import { defineConfig } from "drizzle-kit";

// Generates SQL migrations for D1 from the tables in src/db/tables/; wrangler applies them.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/tables/*.ts",
  out: "./migrations",
});
