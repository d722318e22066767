// Answers every request with a short text: the baseline for requests per second.
export default {
  fetch: () => new Response("Hello, world"),
} satisfies ExportedHandler;
