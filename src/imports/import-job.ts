/**
 * An import's steps on the jobs queue: each runs for a while from the committed offset and sends
 * the next. A step that keeps failing ends the import as failed on its last delivery, saying so,
 * rather than leaving it running for ever.
 */

import { type RunImport, sendJobs, stepOrGiveUp } from "../queues/job-messages.ts";
import { fail, runImportStep } from "./import-run.ts";

export function runImport(env: Env, job: RunImport, attempts: number): Promise<void> {
  return stepOrGiveUp(
    attempts,
    async () => {
      const wait = await runImportStep(env, job.importId);
      if (wait !== null) await sendJobs(env.JOBS, [{ job: "imports.run", importId: job.importId }], wait);
    },
    () =>
      fail(
        env.DB,
        job.importId,
        "The import stopped after repeated failures; importing the file again is safe: events already counted are not counted twice",
      ),
  );
}
