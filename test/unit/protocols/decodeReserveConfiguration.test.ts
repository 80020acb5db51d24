import { describe, expect, it } from "vitest";
import {
  decodeReserveConfiguration,
  isBorrowing,
  isUsingAsCollateral,
} from "../../../src/adapters/protocols/aave-v3/decodeReserveConfiguration.js";

describe("Aave reserve configuration bitmap", () => {
  it("decodes each field from its documented bit range", () => {
    const data =
      8000n | // LTV bits 0-15
      (8300n << 16n) | // liquidation threshold
      (10500n << 32n) | // liquidation bonus 105%
      (18n << 48n) | // decimals
      (1n << 56n) | // active
      (1n << 58n) | // borrowing enabled
      (1500n << 64n) | // reserve factor 15%
      (1000n << 152n) | // liquidation protocol fee 10%
      (1n << 168n); // legacy eMode category 1
    expect(decodeReserveConfiguration(data)).toEqual({
      ltvBps: 8000,
      liquidationThresholdBps: 8300,
      liquidationBonusBps: 10500,
      decimals: 18,
      active: true,
      frozen: false,
      borrowingEnabled: true,
      paused: false,
      reserveFactorBps: 1500,
      liquidationProtocolFeeBps: 1000,
      legacyEModeCategory: 1,
    });
  });

  it("reads a user's borrowing and collateral bits per reserve id", () => {
    // Reserve 0 collateral, reserve 3 borrowed: bits 1 and 6.
    const config = (1n << 1n) | (1n << 6n);
    expect(isUsingAsCollateral(config, 0)).toBe(true);
    expect(isBorrowing(config, 0)).toBe(false);
    expect(isBorrowing(config, 3)).toBe(true);
    expect(isUsingAsCollateral(config, 3)).toBe(false);
  });
});
