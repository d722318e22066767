/**
 * Privacy budget accounting by basic composition: the ε of everything a seller's data entered
 * adds up, in exact integer micro-ε. Decides which releases may go ahead; never lets any
 * member pass the cap, and never draws noise or reads seller data.
 */
import { epsilonValue, type MicroEpsilon } from "./epsilon.ts";

/** One proposed release: who is in it and what it costs each of them. */
export interface ReleaseProposal {
  readonly id: string;
  readonly members: readonly string[];
  readonly epsilon: MicroEpsilon;
}

export interface BudgetDecision {
  /** Ids of the releases that may go ahead, in proposal order. */
  readonly admitted: string[];
  /** The others, in proposal order, with the sellers that would have passed the cap. */
  readonly refused: { readonly id: string; readonly reason: string; readonly over: string[] }[];
  /** Spent per seller after the admitted releases (sellers not mentioned before or since are absent). */
  readonly spent: Map<string, MicroEpsilon>;
}

/**
 * Basic composition: a release that noises the seller count with ε_count and each of m metric
 * histograms with ε_metric is (ε_count + m · ε_metric)-DP for each member; each histogram
 * has sensitivity 1, as one seller adds one value to one bin.
 */
export function releaseEpsilon(
  epsilonCount: MicroEpsilon,
  epsilonPerMetric: MicroEpsilon,
  metrics: number,
): MicroEpsilon {
  return epsilonCount + metrics * epsilonPerMetric;
}

/**
 * Goes through the proposals in the order given and admits each one whose every member stays
 * at or below `cap` counting what was spent before and what the releases admitted so far add.
 * A refused release adds nothing. Deterministic: the same input gives the same answer, and a
 * proposal's fate depends only on the ones before it.
 */
export function admitReleases(
  spentBefore: ReadonlyMap<string, MicroEpsilon>,
  proposals: readonly ReleaseProposal[],
  cap: MicroEpsilon,
): BudgetDecision {
  if (!Number.isSafeInteger(cap) || cap < 0) throw new RangeError(`cap ${cap}`);
  const spent = new Map(spentBefore);
  const admitted: string[] = [];
  const refused: BudgetDecision["refused"] = [];
  const seen = new Set<string>();
  for (const proposal of proposals) {
    if (seen.has(proposal.id)) throw new RangeError(`release ${proposal.id} is proposed twice`);
    seen.add(proposal.id);
    if (!Number.isSafeInteger(proposal.epsilon) || proposal.epsilon < 0) {
      throw new RangeError(`release ${proposal.id}: ε ${proposal.epsilon}`);
    }
    const members = [...new Set(proposal.members)];
    const over = members.filter((id) => (spent.get(id) ?? 0) + proposal.epsilon > cap);
    if (over.length > 0) {
      const first = over
        .slice(0, 3)
        .map((id) => `${id} (spent ${epsilonValue(spent.get(id) ?? 0)})`)
        .join(", ");
      const reason =
        `${over.length} of ${members.length} sellers would pass the cap of ε ${epsilonValue(cap)} ` +
        `with this release's ε ${epsilonValue(proposal.epsilon)}: ${first}${over.length > 3 ? ", …" : ""}`;
      refused.push({ id: proposal.id, reason, over });
      continue;
    }
    for (const id of members) spent.set(id, (spent.get(id) ?? 0) + proposal.epsilon);
    admitted.push(proposal.id);
  }
  return { admitted, refused, spent };
}
