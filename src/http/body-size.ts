/**
 * A cap on a request body's size, as middleware that answers 413 in the error envelope past it and
 * declares that answer for the OpenAPI document. Counts the bytes as they stream in (a false
 * Content-Length gets nothing past it); it never reads a body it lets through.
 */
import { bodyLimit } from "hono/body-limit";
import { answer, answers } from "./answers.ts";
import { ApiError } from "./errors.ts";

/** At most `maxBytes` of body; `what` names the body in the 413's message ("A session request"). */
export function limitBody(maxBytes: number, what: string) {
  const tooLarge = () => new ApiError(413, "payload_too_large", `${what} is at most ${maxBytes} bytes`);
  return answers(
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw tooLarge();
      },
    }),
    answer(`A body over ${maxBytes} bytes`, tooLarge()),
  );
}
