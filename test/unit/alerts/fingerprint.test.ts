import { describe, expect, it } from "vitest";
import { fingerprint, fnv1a64 } from "../../../src/core/alerts/fingerprint.js";

describe("fnv1a64", () => {
  it("matches the published FNV-1a 64-bit test vectors", () => {
    expect(fnv1a64("")).toBe("cbf29ce484222325");
    expect(fnv1a64("a")).toBe("af63dc4c8601ec8c");
    expect(fnv1a64("foobar")).toBe("85944171f73967e8");
  });
});

describe("fingerprint", () => {
  it("ignores label order and separates different label sets", () => {
    const a = fingerprint({ alertname: "X", scenario: "eth-20" });
    expect(fingerprint({ scenario: "eth-20", alertname: "X" })).toBe(a);
    expect(fingerprint({ alertname: "X", scenario: "eth-30" })).not.toBe(a);
    expect(fingerprint({ alertname: "X=scenario", "": "eth-20" })).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });
});
