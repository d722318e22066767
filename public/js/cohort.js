// @ts-check
/**
 * A benchmark cohort in words, as a seller reads it: "small electronics sellers in eu-west".
 * Shared by the seller's benchmarks and the operator's list of releases; the words follow the
 * level the cohort was widened to (category+region+size, category+size, size, platform).
 */
const SIZE_WORDS = { micro: "very small", small: "small", mid: "mid-size", large: "large", top: "the largest" };

export function cohortWords({ level, category, region, size_band: size }) {
  const sized = size ? (SIZE_WORDS[size] ?? size) : null;
  switch (level) {
    case "category+region+size":
      return `${sized} ${category} sellers in ${region}`;
    case "category+size":
      return `${sized} ${category} sellers`;
    case "size":
      return `${sized} sellers`;
    case "platform":
      return "sellers of the platform";
    default:
      return [sized, category, "sellers", region ? `in ${region}` : null].filter(Boolean).join(" ");
  }
}
