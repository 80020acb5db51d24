import { TransientError } from "../../core/errors.js";

/** What an answer needs (Redis) is not answering: the HTTP port says 503 at once instead of waiting. */
export class DependencyUnavailableError extends TransientError {
  override readonly code = "DEPENDENCY_UNAVAILABLE";
}
