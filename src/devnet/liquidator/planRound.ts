import { type Address, encodeFunctionData, maxUint256 } from "viem";
import { aaveV3PoolAbi } from "../../../abis/aaveV3Pool.js";
import { morphoBlueAbi } from "../../../abis/morphoBlue.js";
import { seizedCollateralForShares, toAssetsUp } from "../../adapters/protocols/morpho-blue/morphoMath.js";
import type { Protocol } from "../../core/ids.js";
import {
  type AaveCollateralHolding,
  decideAaveLiquidation,
  type HeldAsset,
} from "../../core/rules/aaveV3.js";
import { decideMorphoLiquidation } from "../../core/rules/morphoBlue.js";
import { feedAnswerOf } from "../oracles/feedKeeper.js";
import { aaveDustSafeRepay } from "./aaveDustSafeRepay.js";
import type { AaveEModeInfo, AaveMarketInfo } from "./liquidatorAaveMarket.js";
import type { AavePositionState } from "./readAavePositions.js";
import type { MorphoPositionState } from "./readMorphoPositions.js";
import type { BatchCall } from "./sendCallsInOneBlock.js";

/** One liquidation the liquidator decided on, with the model's numbers and the transaction that does it. */
export interface PlannedLiquidation {
  readonly protocol: Protocol;
  readonly marketId: string;
  /** Contract that emits the liquidation event (Aave pool or Morpho). */
  readonly emitter: Address;
  readonly account: Address;
  readonly healthFactor: number;
  readonly debtAsset: string;
  readonly collateralAsset: string;
  /** Model amounts in token units at the round's prices. */
  readonly modelRepay: number;
  readonly modelSeize: number;
  /** The liquidator's profit at the round's market prices, gas deducted, USD (the profit rule's figure). */
  readonly profitUsd: number;
  /** Assets the position holds (non-zero collateral or debt) at the start of the round. */
  readonly heldAssets: readonly string[];
  readonly call: BatchCall;
  /** Debt tokens the liquidator must hold to pay for it. */
  readonly fundingWei: bigint;
}

/** A liquidatable position the liquidator skips because the liquidation would not pay (the model's profit rule). */
export interface SkippedLiquidation {
  readonly marketId: string;
  readonly account: Address;
  /** Its whole debt at the round's oracle prices, USD. */
  readonly debtUsd: number;
}

/** What the liquidator decides in one round for one protocol. */
export interface RoundPlan {
  readonly planned: PlannedLiquidation[];
  readonly unprofitable: SkippedLiquidation[];
}

const units = (wei: bigint, decimals: number): number => Number(wei) / 10 ** decimals;

/**
 * Decides the Aave liquidations of one round with the model's rule (`decideAaveLiquidation`):
 * largest debt and collateral, close factor, v3.3 dust rule. `debtToCover` is `type(uint256).max`
 * (the contract then applies the same close factor and collateral cap) unless the dust rule lowered
 * the repay, in which case it is the largest amount up to that repay that the contract's integer
 * dust check accepts (`aaveDustSafeRepay`). Positions with no collateral left are skipped.
 * `prices` are the oracle's (health factor, amounts); the profit is judged at `marketPrices`, the
 * round's pool prices (default: the oracle's, as on a devnet whose feeds read the pools).
 */
export function planAaveRound(
  market: AaveMarketInfo,
  positions: readonly AavePositionState[],
  emodes: ReadonlyMap<number, AaveEModeInfo>,
  prices: Readonly<Record<string, number>>,
  liquidationGasUsd = 0,
  marketPrices: Readonly<Record<string, number>> = prices,
): RoundPlan {
  const planned: PlannedLiquidation[] = [];
  const unprofitable: SkippedLiquidation[] = [];
  for (const position of positions) {
    if (position.debt.length === 0 || position.collateral.length === 0) continue;
    const emode = position.emode === 0 ? undefined : emodes.get(position.emode);
    const collateral: AaveCollateralHolding[] = [];
    for (const { reserve, amountWei } of position.collateral) {
      const inEMode = emode?.assets.has(reserve.asset) === true;
      const liquidationThreshold = inEMode ? emode!.liquidationThreshold : reserve.liquidationThreshold;
      if (liquidationThreshold <= 0) continue;
      collateral.push({
        asset: reserve.asset,
        amount: units(amountWei, reserve.decimals),
        priceUsd: prices[reserve.asset]!,
        marketPriceUsd: marketPrices[reserve.asset],
        liquidationThreshold,
        liquidationBonus: inEMode ? emode!.liquidationBonus : reserve.liquidationBonus,
        protocolFee: reserve.protocolFee,
      });
    }
    const debt: HeldAsset[] = position.debt.map(({ reserve, amountWei }) => ({
      asset: reserve.asset,
      amount: units(amountWei, reserve.decimals),
      priceUsd: prices[reserve.asset]!,
      marketPriceUsd: marketPrices[reserve.asset],
    }));
    const decision = decideAaveLiquidation({
      market: { ...market.close, liquidationGasUsd },
      collateral,
      debt,
    });
    if (decision.unprofitable) {
      const debtUsd = debt.reduce((sum, d) => sum + d.amount * d.priceUsd, 0);
      unprofitable.push({ marketId: market.target.marketId, account: position.account, debtUsd });
      continue;
    }
    if (!decision.liquidated || decision.collateralAsset === null || decision.debtAsset === null) continue;
    if (!(decision.repay > 0)) continue;
    const debtEntry = position.debt.find((d) => d.reserve.asset === decision.debtAsset)!;
    const collateralEntry = position.collateral.find((c) => c.reserve.asset === decision.collateralAsset)!;
    const debtUnits = units(debtEntry.amountWei, debtEntry.reserve.decimals);
    const collateralUnits = units(collateralEntry.amountWei, collateralEntry.reserve.decimals);
    const dustLimited =
      decision.repay < decision.maxRepay && decision.seize < collateralUnits && decision.repay < debtUnits;
    const bonus = collateral.find((c) => c.asset === decision.collateralAsset)!.liquidationBonus;
    const debtToCover = dustLimited
      ? aaveDustSafeRepay({
          desiredWei: BigInt(Math.floor(decision.repay * 10 ** debtEntry.reserve.decimals)),
          borrowerDebtWei: debtEntry.amountWei,
          borrowerCollateralWei: collateralEntry.amountWei,
          debtPriceE8: feedAnswerOf(prices[decision.debtAsset]!),
          collateralPriceE8: feedAnswerOf(prices[decision.collateralAsset]!),
          debtDecimals: debtEntry.reserve.decimals,
          collateralDecimals: collateralEntry.reserve.decimals,
          liquidationBonusBps: BigInt(Math.round((1 + bonus) * 1e4)),
        })
      : maxUint256;
    if (debtToCover === 0n) continue;
    planned.push({
      protocol: "aave-v3",
      marketId: market.target.marketId,
      emitter: market.target.pool,
      account: position.account,
      healthFactor: decision.healthFactor,
      debtAsset: decision.debtAsset,
      collateralAsset: decision.collateralAsset,
      modelRepay: decision.repay,
      modelSeize: decision.seize,
      profitUsd: decision.profitUsd,
      heldAssets: [...new Set([...collateral.map((c) => c.asset), ...debt.map((d) => d.asset)])],
      call: {
        to: market.target.pool,
        data: encodeFunctionData({
          abi: aaveV3PoolAbi,
          functionName: "liquidationCall",
          args: [
            collateralEntry.reserve.underlying,
            debtEntry.reserve.underlying,
            position.account,
            debtToCover,
            false,
          ],
        }),
        gas: 2_000_000n,
      },
      fundingWei: dustLimited ? debtToCover : debtEntry.amountWei,
    });
  }
  return { planned, unprofitable };
}

/**
 * Decides the Morpho Blue liquidations of one round (`decideMorphoLiquidation`: liquidatable when
 * `d p_loan > c p_coll lltv`, always a full liquidation). It repays all the borrower's shares, or,
 * when that would seize more collateral than there is, seizes all the collateral (bad debt). * `prices` value the position as the oracle does; the profit is judged at `marketPrices`, the
 * round's pool prices (default: `prices`).
 */
export function planMorphoRound(
  morpho: Address,
  positions: readonly MorphoPositionState[],
  oraclePrices: ReadonlyMap<string, bigint>,
  prices: Readonly<Record<string, number>>,
  decimalsOf: (asset: string) => number,
  liquidationGasUsd = 0,
  marketPrices: Readonly<Record<string, number>> = prices,
): RoundPlan {
  const planned: PlannedLiquidation[] = [];
  const unprofitable: SkippedLiquidation[] = [];
  for (const position of positions) {
    if (position.borrowShares === 0n || position.collateralWei === 0n) continue;
    const { market } = position;
    const debtWei = toAssetsUp(position.borrowShares, position.totalBorrowAssets, position.totalBorrowShares);
    const decision = decideMorphoLiquidation({
      lltv: market.lltv,
      collateral: units(position.collateralWei, decimalsOf(market.collateral)),
      collateralPriceUsd: prices[market.collateral]!,
      debt: units(debtWei, decimalsOf(market.loan)),
      loanPriceUsd: prices[market.loan]!,
      ...(marketPrices[market.collateral] === undefined
        ? {}
        : { collateralMarketPriceUsd: marketPrices[market.collateral]! }),
      ...(marketPrices[market.loan] === undefined ? {} : { loanMarketPriceUsd: marketPrices[market.loan]! }),
      liquidationGasUsd,
    });
    if (decision.unprofitable) {
      const debtUsd = units(debtWei, decimalsOf(market.loan)) * prices[market.loan]!;
      unprofitable.push({ marketId: market.marketId, account: position.account, debtUsd });
      continue;
    }
    if (!decision.liquidatable) continue;
    const seizedForAllShares = seizedCollateralForShares(
      position.borrowShares,
      position.totalBorrowAssets,
      position.totalBorrowShares,
      market.params.lltv,
      oraclePrices.get(market.id)!,
    );
    const seizeAll = seizedForAllShares > position.collateralWei;
    planned.push({
      protocol: "morpho-blue",
      marketId: market.marketId,
      emitter: morpho,
      account: position.account,
      healthFactor: decision.healthFactor,
      debtAsset: market.loan,
      collateralAsset: market.collateral,
      modelRepay: decision.repay,
      modelSeize: decision.seize,
      profitUsd: decision.profitUsd,
      heldAssets: [market.collateral, market.loan],
      call: {
        to: morpho,
        data: encodeFunctionData({
          abi: morphoBlueAbi,
          functionName: "liquidate",
          args: [
            market.params,
            position.account,
            seizeAll ? position.collateralWei : 0n,
            seizeAll ? 0n : position.borrowShares,
            "0x",
          ],
        }),
        gas: 1_000_000n,
      },
      fundingWei: debtWei + 1n,
    });
  }
  return { planned, unprofitable };
}
