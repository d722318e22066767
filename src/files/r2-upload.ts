/**
 * Writes an R2 object a piece at a time without holding it whole: pieces are gathered into parts
 * of exactly PART_BYTES (R2 wants every part but the last of one size, at least 5 MiB), and an
 * object smaller than a part is one plain put. Same pieces, same bytes: the object does not depend on how it was cut.
 */
const PART_BYTES = 8 * 1024 * 1024;
const encoder = new TextEncoder();

export class R2Upload {
  private pieces: Uint8Array[] = [];
  private buffered = 0;
  private upload: R2MultipartUpload | null = null;
  private parts: R2UploadedPart[] = [];
  /** Bytes written so far. */
  bytes = 0;

  constructor(
    private readonly bucket: R2Bucket,
    private readonly key: string,
    private readonly options: R2PutOptions & R2MultipartOptions = {},
  ) {}

  async write(text: string): Promise<void> {
    await this.writeBytes(encoder.encode(text));
  }

  async writeBytes(piece: Uint8Array): Promise<void> {
    this.pieces.push(piece);
    this.buffered += piece.byteLength;
    this.bytes += piece.byteLength;
    while (this.buffered >= PART_BYTES) await this.sendPart(PART_BYTES);
  }

  /** Finishes the object; an empty one is written too. */
  async close(): Promise<void> {
    if (this.upload === null) {
      await this.bucket.put(this.key, this.take(this.buffered), this.options);
      return;
    }
    if (this.buffered > 0) await this.sendPart(this.buffered);
    await this.upload.complete(this.parts);
  }

  /** Gives up a multipart upload (its parts are deleted); a plain put has sent nothing yet. */
  async abort(): Promise<void> {
    await this.upload?.abort();
  }

  private async sendPart(size: number): Promise<void> {
    this.upload ??= await this.bucket.createMultipartUpload(this.key, this.options);
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, this.take(size)));
  }

  /** The first `size` buffered bytes, as one array; the rest stays buffered. */
  private take(size: number): Uint8Array {
    const taken = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const piece = this.pieces[0]!;
      const used = Math.min(piece.byteLength, size - at);
      taken.set(piece.subarray(0, used), at);
      at += used;
      if (used === piece.byteLength) this.pieces.shift();
      else this.pieces[0] = piece.subarray(used);
    }
    this.buffered -= size;
    return taken;
  }
}
