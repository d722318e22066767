// Writing an R2 object a piece at a time: a small one is one put, a large one a multipart upload
// of equal parts (R2 refuses unequal ones), and either way the object is the pieces in order.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { R2Upload } from "../../../src/files/r2-upload.ts";

async function written(key: string, pieces: string[]) {
  const upload = new R2Upload(env.BUCKET, key);
  for (const piece of pieces) await upload.write(piece);
  await upload.close();
  const object = await env.BUCKET.get(key);
  return { upload, object: object!, text: await object!.text() };
}

describe("R2Upload", () => {
  it("writes a small object in one put", async () => {
    const { object, text, upload } = await written("small", ["a,b\r\n", "1,2\r\n"]);
    expect(text).toBe("a,b\r\n1,2\r\n");
    expect(upload.bytes).toBe(10);
    expect(object.etag).not.toContain("-"); // a multipart object's ETag ends in -<parts>
  });

  it("writes 20 MiB in uneven pieces as equal parts, byte for byte", async () => {
    const line = (i: number) => `${i},${"x".repeat(i % 97)},é\r\n`;
    const pieces: string[] = [];
    let size = 0;
    for (let i = 0; size < 20 * 1024 * 1024; i++) {
      const piece = Array.from({ length: 1 + (i % 500) }, (_, j) => line(i * 500 + j)).join("");
      pieces.push(piece);
      size += new TextEncoder().encode(piece).byteLength;
    }
    const { object, text, upload } = await written("large", pieces);
    expect(object.size).toBe(size);
    expect(upload.bytes).toBe(size);
    expect(text).toBe(pieces.join(""));
    expect(object.etag).toMatch(/-3$/); // 8 + 8 + the last 4 MiB
  });

  it("writes an empty object", async () => {
    expect((await written("empty", [])).object.size).toBe(0);
  });
});
