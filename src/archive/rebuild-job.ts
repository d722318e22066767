/** A seller's rebuild from the event archive, a page per step on the jobs queue. */

import { type RebuildSeller, sendJobs, stepOrGiveUp } from "../queues/job-messages.ts";
import { failRebuild, rebuildStep } from "./rebuild.ts";

export function rebuildSeller(env: Env, job: RebuildSeller, attempts: number): Promise<void> {
  return stepOrGiveUp(
    attempts,
    async () => {
      const cursor = await rebuildStep(env, job);
      if (cursor !== null) await sendJobs(env.JOBS, [{ ...job, cursor }]);
    },
    () => failRebuild(env, job, "The rebuild stopped after repeated failures; starting another is safe"),
  );
}
