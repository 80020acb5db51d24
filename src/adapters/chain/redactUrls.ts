/** RPC URLs may carry API keys: every message that leaves the chain adapter goes through this. */
const URL_PATTERN = /\b(?:https?|wss?):\/\/[^\s"'<>)]+/g;

/** Replaces every URL in `text` with its origin's scheme and `…` (`https://…`). */
export function redactUrls(text: string): string {
  return text.replace(URL_PATTERN, (url) => `${url.slice(0, url.indexOf("://") + 3)}…`);
}
