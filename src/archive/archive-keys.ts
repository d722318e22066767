/**
 * Where the event archive keeps its objects: one gzip NDJSON object per platform per consumer
 * batch, under the UTC hour it was received in, so that a platform's archive lists in time order
 * and an hour or a day can be read (or expired) by prefix.
 *   archive/<platform>/<YYYY-MM-DD>/<HH>/<received ms, 13 digits>-<random>.ndjson.gz
 */
const ARCHIVE_ROOT = "archive/";

export const archivePrefix = (platform: string) => `${ARCHIVE_ROOT}${platform}/`;

/** A new object's key; `random` keeps two batches of the same millisecond apart. */
export function archiveKey(platform: string, receivedMs: number, random: string): string {
  const iso = new Date(receivedMs).toISOString();
  const day = iso.slice(0, 10);
  const hour = iso.slice(11, 13);
  return `${archivePrefix(platform)}${day}/${hour}/${String(receivedMs).padStart(13, "0")}-${random}.ndjson.gz`;
}
