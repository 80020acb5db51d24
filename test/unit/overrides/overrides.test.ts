import { describe, expect, it } from "vitest";
import { UserInputError } from "../../../src/core/errors.js";
import { applyOverrides } from "../../../src/core/overrides/applyOverrides.js";
import { parseOverride } from "../../../src/core/overrides/parseOverride.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import {
  AAVE_MARKET,
  aaveMarketFixture,
  COMPOUND_MARKET,
  MORPHO_MARKET,
  snapshotFixture,
} from "../../helpers/snapshotFixtures.js";

const snapshot = parseSnapshot(
  snapshotFixture({
    markets: [
      aaveMarketFixture({
        emodes: { "1": { liquidationThreshold: 0.93, liquidationBonus: 0.01, assets: ["WETH"] } },
      }),
      { id: MORPHO_MARKET, protocol: "morpho-blue", collateral: "WETH", loan: "USDC", lltv: 0.86 },
      {
        id: COMPOUND_MARKET,
        protocol: "compound-v3",
        base: "USDC",
        collaterals: { WETH: { liquidateCollateralFactor: 0.83, liquidationFactor: 0.95 } },
      },
    ],
  }),
);

const apply = (...texts: string[]) => applyOverrides(snapshot, texts.map(parseOverride));

describe("parseOverride", () => {
  it("splits the market id (with its colons) from the field path at the last colon", () => {
    expect(parseOverride(`${AAVE_MARKET}:WETH.liquidationThreshold=0.8`)).toEqual({
      text: `${AAVE_MARKET}:WETH.liquidationThreshold=0.8`,
      market: AAVE_MARKET,
      path: ["WETH", "liquidationThreshold"],
      value: 0.8,
    });
    expect(parseOverride(`${AAVE_MARKET}:liquidationLogic=v3.0`).value).toBe("v3.0");
  });

  it.each([
    "no-equals",
    ":lltv=0.9",
    `${MORPHO_MARKET}:=0.9`,
    `${MORPHO_MARKET}:lltv=`,
    `${MORPHO_MARKET}:lltv=abc`,
  ])("refuses %s", (text) => {
    expect(() => parseOverride(text)).toThrow(UserInputError);
  });
});

describe("applyOverrides", () => {
  it("changes reserve, market, eMode, Morpho and Compound fields in a copy", () => {
    const next = apply(
      `${AAVE_MARKET}:WETH.liquidationThreshold=0.7`,
      `${AAVE_MARKET}:closeFactor=0.4`,
      `${AAVE_MARKET}:emode.1.liquidationBonus=0.02`,
      `${MORPHO_MARKET}:lltv=0.9`,
      `${COMPOUND_MARKET}:WETH.liquidateCollateralFactor=0.8`,
    );
    const [aave, morpho, compound] = next.markets;
    expect(aave?.protocol === "aave-v3" && aave.reserves.WETH?.liquidationThreshold).toBe(0.7);
    expect(aave?.protocol === "aave-v3" && aave.closeFactor).toBe(0.4);
    expect(aave?.protocol === "aave-v3" && aave.emodes["1"]?.liquidationBonus).toBe(0.02);
    expect(morpho?.protocol === "morpho-blue" && morpho.lltv).toBe(0.9);
    expect(compound?.protocol === "compound-v3" && compound.collaterals.WETH?.liquidateCollateralFactor).toBe(
      0.8,
    );
    // The input is untouched and positions are shared.
    const original = snapshot.markets[1];
    expect(original?.protocol === "morpho-blue" && original.lltv).toBe(0.86);
    expect(next.positions).toBe(snapshot.positions);
  });

  it.each([
    ["morpho-blue:1:0xnope:lltv=0.9", /unknown market "morpho-blue:1:0xnope"/],
    [`${AAVE_MARKET}:DAI.liquidationThreshold=0.8`, /market has no reserve "DAI"/],
    [`${AAVE_MARKET}:WETH.ltv=0.8`, /unknown field "ltv" in reserve WETH/],
    [`${AAVE_MARKET}:emode.7.liquidationBonus=0.02`, /no eMode category "7"/],
    [`${MORPHO_MARKET}:lltv=1.2`, /markets\[1\]\.lltv: must be in \(0, 1\)/],
    [`${COMPOUND_MARKET}:WBTC.liquidationFactor=0.9`, /market has no collateral "WBTC"/],
  ])("refuses %s", (text, message) => {
    expect(() => apply(text)).toThrow(message);
    expect(() => apply(text)).toThrow(UserInputError);
  });
});
