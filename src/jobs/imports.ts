/**
 * An import's steps on the jobs queue: each runs for a while from the committed offset and sends
 * the next. A step that keeps failing ends the import as failed on its last delivery, saying so,
 * rather than leaving it running for ever.
 */
import { fail, runImportStep } from "../imports/run.ts";
import { JOB_ATTEMPTS, type RunImport, sendJobs } from "./messages.ts";

export async function runImport(env: Env, job: RunImport, attempts: number): Promise<void> {
  try {
    if (await runImportStep(env, job.importId))
      await sendJobs(env.JOBS, [{ job: "imports.run", importId: job.importId }]);
  } catch (error) {
    if (attempts < JOB_ATTEMPTS) throw error;
    console.error("import failed for good", job.importId, error);
    await fail(
      env.DB,
      job.importId,
      "The import stopped after repeated failures; importing the file again is safe: events already counted are not counted twice",
    );
  }
}
