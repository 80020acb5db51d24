/**
 * Seeded inputs of a sync's snapshot over blocks: an Aave and a Morpho market (prices moving each
 * block, USDC unpriced now and then), positions changed, opened and closed at random, some holding
 * an asset no market prices.
 */
import type { MarketsReading } from "../../src/adapters/protocols/ProtocolIndexer.js";
import type { SnapshotFrameInput } from "../../src/app/buildSnapshot.js";
import { assetSchema } from "../../src/config/schema/assets.js";
import { asAssetId } from "../../src/core/ids.js";
import type { Prng } from "../../src/core/random/createPrng.js";
import type { PositionData } from "../../src/core/snapshot/schema.js";
import { positionKeyText } from "../../src/core/snapshot/snapshotChanges.js";

const A = (raw: Record<string, unknown>) => assetSchema.parse(raw);
export const AAVE = "aave-v3:1:0xpool";
export const MORPHO = "morpho-blue:1:0xid";

export const assets = [
  A({ id: "WETH", liquidity: { kind: "infinite" } }),
  A({ id: "wstETH", follows: { asset: "WETH", beta: 1 }, liquidity: { kind: "infinite" } }),
  A({ id: "USDC", liquidity: { kind: "infinite" } }),
];

/** Aave prices WETH and USDC unless `unpricedUsdc`; Morpho prices wstETH against WETH. */
export function readings(prng: Prng, unpricedUsdc: boolean): MarketsReading[] {
  const aave: MarketsReading = {
    markets: [
      {
        id: AAVE,
        protocol: "aave-v3",
        liquidationLogic: "v3.3",
        closeFactor: 0.5,
        closeFactorHfThreshold: 0.95,
        fullCloseBelowUsd: 2000,
        minLeftoverUsd: 1000,
        liquidationGasUsd: 0,
        reserves: {
          WETH: { liquidationThreshold: 0.83, liquidationBonus: 0.05, protocolFee: 0.1 },
          USDC: { liquidationThreshold: 0.78, liquidationBonus: 0.045, protocolFee: 0.1 },
        },
        emodes: {},
      },
    ],
    prices: [
      { asset: asAssetId("WETH"), kind: "usd", priceUsd: prng.uniform(2000, 4000), source: "aave" },
      ...(unpricedUsdc
        ? []
        : [
            {
              asset: asAssetId("USDC"),
              kind: "usd" as const,
              priceUsd: prng.uniform(0.99, 1.01),
              source: "aave",
            },
          ]),
    ],
    decimals: new Map([
      [asAssetId("WETH"), 18],
      [asAssetId("USDC"), 6],
    ]),
    unknownTokens: [],
  };
  const morpho: MarketsReading = {
    markets: [
      {
        id: MORPHO,
        protocol: "morpho-blue",
        collateral: "wstETH",
        loan: "WETH",
        lltv: 0.945,
        liquidationGasUsd: 0,
      },
    ],
    prices: [
      {
        asset: asAssetId("wstETH"),
        kind: "relative",
        ratio: prng.uniform(1.1, 1.3),
        quoteAsset: asAssetId("WETH"),
        source: "morpho",
      },
    ],
    decimals: new Map([[asAssetId("wstETH"), 18]]),
    unknownTokens: [],
  };
  return [aave, morpho];
}

/** A position of `account` (a number) in `market`, or in either market. */
export function randomPosition(prng: Prng, account: number | string, market?: string): PositionData {
  const account_ = typeof account === "string" ? account : `0x${account.toString(16).padStart(40, "0")}`;
  if ((market ?? (prng.next() < 0.3 ? MORPHO : AAVE)) === MORPHO)
    return {
      market: MORPHO,
      account: account_,
      collateral: { wstETH: prng.uniform(0, 10) },
      debt: { WETH: prng.uniform(0.1, 8) },
    };
  const held = prng.next();
  return {
    market: AAVE,
    account: account_,
    // Now and then an asset no market prices: the position is left out whole.
    collateral: held < 0.1 ? { LINK: prng.uniform(1, 100) } : { WETH: prng.uniform(0, 5) },
    debt: held < 0.5 ? { USDC: prng.uniform(100, 5000) } : { WETH: prng.uniform(0.1, 2) },
    emode: 0,
  };
}

export interface SyncBlock {
  readonly frame: SnapshotFrameInput;
  /** Every position after the block, shuffled. */
  readonly positions: PositionData[];
  /** What the block set (null: closed), by `positionKeyText`. */
  readonly changed: Map<string, PositionData | null>;
}

/** `blocks` blocks over `start` positions; block 0 opens them all. */
export function* syncBlocks(prng: Prng, start: number, blocks: number): Generator<SyncBlock> {
  const current = new Map<string, PositionData>();
  let next = 0;
  for (let block = 0; block < blocks; block++) {
    const changed = new Map<string, PositionData | null>();
    if (block === 0)
      for (let i = 0; i < start; i++) {
        const p = randomPosition(prng, next++);
        changed.set(positionKeyText(p), p);
      }
    const keys = [...current.keys()];
    const touched = block === 0 ? 0 : Math.floor(prng.uniform(0, 40));
    for (let t = 0; t < touched; t++) {
      const r = prng.next();
      if (r < 0.2) {
        const p = randomPosition(prng, next++);
        changed.set(positionKeyText(p), p);
        continue;
      }
      const key = keys[Math.floor(prng.next() * keys.length)]!;
      const held = current.get(key);
      if (held === undefined) continue;
      changed.set(key, r < 0.35 ? null : randomPosition(prng, held.account, held.market));
    }
    for (const [key, p] of changed)
      if (p === null) current.delete(key);
      else current.set(key, p);
    const frame: SnapshotFrameInput = {
      assets,
      // One block in ten leaves USDC unpriced: every position is classified again.
      readings: readings(prng, block % 10 === 7),
      pools: [],
      blocks: new Map([[1, BigInt(1000 + block)]]),
      takenAt: new Date(Date.UTC(2026, 11, 1, 0, 0, block)),
    };
    const positions = [...current.values()];
    for (let i = positions.length - 1; i > 0; i--) {
      const j = Math.floor(prng.next() * (i + 1));
      [positions[i], positions[j]] = [positions[j]!, positions[i]!];
    }
    yield { frame, positions, changed };
  }
}
