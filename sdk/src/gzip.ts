/**
 * gzip with the web platform's CompressionStream (Node 18+, Workers, browsers): no zlib import,
 * so the package runs unchanged in a Worker.
 */

export async function gzip(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const compressed = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}
