/** A seller's rebuild from the event archive, a page per step on the jobs queue. */
import { failRebuild, rebuildStep } from "../archive/rebuild.ts";
import { type RebuildSeller, sendJobs, stepOrGiveUp } from "./messages.ts";

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
