import { describe, expect, it } from "vitest";
import { errorSummary } from "../../../src/app/daemon/daemonLogger.js";
import { TransientError } from "../../../src/core/errors.js";

describe("errorSummary", () => {
  it("keeps the message and code but never a URL that may carry a key", () => {
    const error = new TransientError(
      "HTTP request failed. URL: https://eth.example/v2/SECRETKEY123 status 429",
    );
    const summary = errorSummary(error);
    expect(summary).toEqual({
      error: "HTTP request failed. URL: https://… status 429",
      name: "TransientError",
      code: "TRANSIENT",
    });
    expect(JSON.stringify(errorSummary("wss://node.example/ws/KEY"))).not.toContain("KEY");
  });
});
