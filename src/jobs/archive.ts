/**
 * A seller's rebuild from the event archive, a page per step on the jobs queue; a step that keeps
 * failing ends the rebuild as failed on its last delivery, saying so.
 */
import { failRebuild, rebuildStep } from "../archive/rebuild.ts";
import { JOB_ATTEMPTS, type RebuildSeller, sendJobs } from "./messages.ts";

export async function rebuildSeller(env: Env, job: RebuildSeller, attempts: number): Promise<void> {
  try {
    const cursor = await rebuildStep(env, job);
    if (cursor !== null) await sendJobs(env.JOBS, [{ ...job, cursor }]);
  } catch (error) {
    if (attempts < JOB_ATTEMPTS) throw error;
    console.error("rebuild failed for good", job.rebuildId, error);
    await failRebuild(env, job, "The rebuild stopped after repeated failures; starting another is safe");
  }
}
