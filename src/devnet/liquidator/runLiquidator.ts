import {
  type Address,
  encodeFunctionData,
  getAddress,
  keccak256,
  maxUint256,
  type PublicClient,
  stringToHex,
} from "viem";
import { erc20Abi } from "../../../abis/erc20.js";
import { mintableErc20Abi } from "../../../abis/mintableErc20.js";
import { morphoOracleAbi } from "../../../abis/morphoBlue.js";
import { UserInputError } from "../../core/errors.js";
import { PROTOCOLS, type Protocol } from "../../core/ids.js";
import type { CascadeReport, LiquidationRecord, RoundSummary } from "../../core/report/cascadeReport.js";
import type { FeedUpdate } from "../oracles/feedKeeper.js";
import type { QuoteTreeOrder } from "../uniswap/tradeNetAlongQuoteTree.js";
import { buildDevnetReport } from "./buildDevnetReport.js";
import type { CascadeTarget } from "./cascadeTarget.js";
import { collectRoundResults, type ExecutedLiquidation } from "./collectRoundResults.js";
import { readLiquidatorAaveMarket } from "./liquidatorAaveMarket.js";
import { moveFollowers, readPairSpots } from "./moveFollowers.js";
import {
  type PlannedLiquidation,
  planAaveRound,
  planMorphoRound,
  type RoundPlan,
  type SkippedLiquidation,
} from "./planRound.js";
import { type AavePositionState, readAavePositions } from "./readAavePositions.js";
import { readMorphoBorrowers, readMorphoPositions } from "./readMorphoPositions.js";
import { readMarketPrices, readRoundPrices } from "./readRoundPrices.js";
import { type BatchCall, prepareDevnetActor, sendCallsInOneBlock } from "./sendCallsInOneBlock.js";
import { tradeMainnetRound } from "./tradeMainnetRound.js";
import { tradeNetAmounts } from "./tradeRound.js";

/** The devnet liquidator's own address (impersonated on anvil; nobody holds its key). */
export const DEVNET_LIQUIDATOR: Address = getAddress(
  `0x${keccak256(stringToHex("cascade-monitor devnet liquidator")).slice(-40)}`,
);

export interface RunLiquidatorOptions {
  readonly client: PublicClient;
  readonly target: CascadeTarget;
  readonly liquidator?: Address;
  /** Default 50, as in the model. */
  readonly maxRounds?: number;
  /** The shock that preceded the run (for the report and its amplification). */
  readonly shock?: Readonly<Record<string, number>>;
  /** Prices before the shock; default: the prices when the liquidator starts. */
  readonly initialPrices?: Readonly<Record<string, number>>;
  /**
   * Gas of one liquidation in USD (default 0): a liquidation whose profit at the round's market
   * prices minus this is not positive is skipped, as the model's profit rule says.
   */
  readonly liquidationGasUsd?: number;
  /**
   * The book's trade order (the core's `compileAssets` of the indexed snapshot, read once before
   * the run): required on a mainnet-profile devnet, whose rounds net their trades along it.
   */
  readonly tradeOrder?: QuoteTreeOrder;
  /** Called with a round's decisions just before they are sent (the chain is still at the round's start). */
  readonly beforeRoundSent?: (round: number, planned: readonly PlannedLiquidation[]) => Promise<void>;
}

export interface LiquidatorRun {
  /** What happened on chain, in the shape of a `cascade-report/2`. */
  readonly report: CascadeReport;
  /** Liquidations the liquidator sent that reverted (the model and the contract disagreed). */
  readonly failed: ReadonlyArray<{ round: number; market: string; account: Address }>;
  /** Every liquidation as sent, with the block it was mined in (for checks against chain state). */
  readonly executed: ReadonlyArray<{ round: number; block: bigint; liquidation: ExecutedLiquidation }>;
  /**
   * The keeper at each round's start (mainnet): the market prices it saw and what it pushed
   * (empty on spot, whose price sources read the pairs).
   */
  readonly keeper: ReadonlyArray<{
    round: number;
    marketPricesUsd: Readonly<Record<string, number>>;
    updates: readonly FeedUpdate[];
  }>;
}

/**
 * Runs a rational liquidator against a running devnet, round by round as docs/cascade-model.md
 * section 4 says: read every position at the round's starting prices, decide with the model's
 * rules, send every `liquidationCall` / `liquidate` of the round in one block, then trade; stop
 * when a round finds nothing to liquidate or after `maxRounds`.
 *
 * Spot profile: one price per asset (its source reads its pair); each asset's net (sold minus
 * repaid) is traded into its pair, then each follower's pair is moved by its leader's step ratio
 * with a fee-free k-preserving move (`moveFollowers`).
 *
 * Mainnet profile: at each round's start the pools' prices are read, the keeper pushes the feeds
 * whose threshold they reach, and the oracles are read after it (`readRoundPrices`); health and
 * amounts are decided at each market's oracle prices (each Aave market's AaveOracle; Morpho's
 * composed oracle over the loan's source), profit at the pools' prices; the nets are traded along
 * the quote tree in the book's trade order (`tradeMainnetRound`), with no follow move.
 */
export async function runLiquidator(options: RunLiquidatorOptions): Promise<LiquidatorRun> {
  const { client, target } = options;
  if (target.mainnet !== undefined && options.tradeOrder === undefined)
    throw new UserInputError(
      "devnet liquidator: a mainnet-profile devnet needs the book's trade order (indexedTradeOrder of its deployment file)",
    );
  const liquidator = options.liquidator ?? DEVNET_LIQUIDATOR;
  const maxRounds = options.maxRounds ?? 50;
  const assetById = new Map(target.assets.map((asset) => [asset.id, asset]));
  const decimalsOf = (asset: string): number => assetById.get(asset)!.decimals;

  await prepareDevnetActor(target.rpcUrl, liquidator);
  const aaveMarkets = await Promise.all(
    target.aaveMarkets.map((market) => readLiquidatorAaveMarket(client, target, market)),
  );
  const morphoBorrowers =
    target.morpho === undefined
      ? new Map<string, Address[]>()
      : await readMorphoBorrowers(client, target.morpho.address, target.morpho.fromBlock);
  await approveAll(target, liquidator);
  const aaveReserves = new Map(
    aaveMarkets.map((market) => [market.target.marketId, market.reserves.map((r) => r.asset)]),
  );

  const startPrices = await readMarketPrices(client, target);
  const initialPrices = options.initialPrices ?? startPrices;
  const keeper: Array<{ round: number; marketPricesUsd: Record<string, number>; updates: FeedUpdate[] }> = [];
  const rounds: RoundSummary[] = [];
  const records: LiquidationRecord[] = [];
  const failed: Array<{ round: number; market: string; account: Address }> = [];
  const executedAll: Array<{ round: number; block: bigint; liquidation: ExecutedLiquidation }> = [];
  let movedBy = new Map<string, Set<Protocol>>();
  let prices = startPrices;
  let converged = false;
  let stranded: SkippedLiquidation[] = [];
  const gasUsd = options.liquidationGasUsd ?? 0;

  for (let round = 1; round <= maxRounds; round++) {
    const roundPrices = await readRoundPrices(client, target, aaveReserves);
    prices = roundPrices.market;
    if (target.mainnet !== undefined)
      keeper.push({ round, marketPricesUsd: roundPrices.market, updates: [...roundPrices.feedUpdates] });
    /** Each market's oracle prices this round (amounts, health and the report's USD values). */
    const oracleOf = new Map<string, Readonly<Record<string, number>>>(roundPrices.aave);
    const planned: PlannedLiquidation[] = [];
    const skipped: SkippedLiquidation[] = [];
    const take = (plan: RoundPlan): void => {
      planned.push(...plan.planned);
      skipped.push(...plan.unprofitable);
    };
    const aaveStates = new Map<string, AavePositionState>();
    for (const market of aaveMarkets) {
      const positions = await readAavePositions(client, market);
      for (const position of positions)
        aaveStates.set(`${market.target.marketId}|${position.account}`, position);
      take(
        planAaveRound(
          market,
          positions,
          market.emodes,
          oracleOf.get(market.target.marketId)!,
          gasUsd,
          roundPrices.market,
        ),
      );
    }
    if (target.morpho !== undefined) {
      const positions = await readMorphoPositions(
        client,
        target.morpho.address,
        target.morpho.markets,
        morphoBorrowers,
      );
      const oraclePrices = await client.multicall({
        allowFailure: false,
        contracts: target.morpho.markets.map((market) => ({
          address: market.params.oracle,
          abi: morphoOracleAbi,
          functionName: "price" as const,
        })),
      });
      const byId = new Map(target.morpho.markets.map((market, k) => [market.id, oraclePrices[k]!]));
      for (const market of target.morpho.markets) {
        // Spot: the sources are what the oracles compose. Mainnet: the collateral is what the
        // composed oracle says it is worth in the loan asset, times the loan's source.
        const own =
          target.mainnet === undefined
            ? roundPrices.oracle
            : {
                ...roundPrices.oracle,
                [market.collateral]:
                  morphoCollateralPerLoan(
                    byId.get(market.id)!,
                    decimalsOf(market.collateral),
                    decimalsOf(market.loan),
                  ) * roundPrices.oracle[market.loan]!,
              };
        oracleOf.set(market.marketId, own);
        take(
          planMorphoRound(
            target.morpho.address,
            positions.filter((position) => position.market.id === market.id),
            byId,
            own,
            decimalsOf,
            gasUsd,
            roundPrices.market,
          ),
        );
      }
    }
    if (planned.length === 0) {
      // What is still liquidatable but does not pay stays: stranded.
      stranded = skipped;
      converged = true;
      break;
    }

    await options.beforeRoundSent?.(round, planned);
    const funding = new Map<string, bigint>();
    for (const plan of planned)
      funding.set(plan.debtAsset, (funding.get(plan.debtAsset) ?? 0n) + plan.fundingWei);
    const mints: BatchCall[] = [...funding].map(([asset, amount]) => ({
      to: assetById.get(asset)!.token,
      data: encodeFunctionData({ abi: mintableErc20Abi, functionName: "mint", args: [liquidator, amount] }),
      gas: 200_000n,
    }));
    const mined = await sendCallsInOneBlock(target.rpcUrl, liquidator, [
      ...mints,
      ...planned.map((plan) => plan.call),
    ]);
    const aTokenOf = (plan: PlannedLiquidation): Address | undefined =>
      aaveMarkets
        .find((market) => market.target.marketId === plan.marketId)
        ?.reserves.find((reserve) => reserve.asset === plan.collateralAsset)?.aToken;
    const { executed, failed: failedNow } = collectRoundResults(
      planned,
      mined.receipts.slice(mints.length),
      aTokenOf,
    );
    for (const plan of failedNow) failed.push({ round, market: plan.marketId, account: plan.account });
    if (executed.length === 0) break;

    const netWei = new Map<string, bigint>();
    const tradedBy = new Map<string, Set<Protocol>>();
    let repaidUsd = 0;
    let soldUsd = 0;
    let badDebtUsd = 0;
    for (const done of executed) {
      const { plan } = done;
      executedAll.push({ round, block: mined.blockNumber, liquidation: done });
      const repaid = Number(done.repaidWei) / 10 ** decimalsOf(plan.debtAsset);
      const seized = Number(done.seizedWei) / 10 ** decimalsOf(plan.collateralAsset);
      const sold = Number(done.soldWei) / 10 ** decimalsOf(plan.collateralAsset);
      netWei.set(plan.collateralAsset, (netWei.get(plan.collateralAsset) ?? 0n) + done.soldWei);
      netWei.set(plan.debtAsset, (netWei.get(plan.debtAsset) ?? 0n) - done.repaidWei);
      for (const asset of [plan.collateralAsset, plan.debtAsset]) {
        const set = tradedBy.get(asset) ?? new Set<Protocol>();
        set.add(plan.protocol);
        tradedBy.set(asset, set);
      }
      const oracle = oracleOf.get(plan.marketId)!;
      const badDebt = badDebtOf(done, aaveStates, oracle, decimalsOf);
      const sources =
        round === 1
          ? []
          : PROTOCOLS.filter((p) => plan.heldAssets.some((asset) => movedBy.get(asset)?.has(p) === true));
      const record: LiquidationRecord = {
        round,
        market: plan.marketId,
        account: plan.account.toLowerCase(),
        protocol: plan.protocol,
        healthFactor: plan.healthFactor,
        repaid: { [plan.debtAsset]: repaid },
        seized: { [plan.collateralAsset]: seized },
        repaidUsd: repaid * oracle[plan.debtAsset]!,
        seizedUsd: seized * oracle[plan.collateralAsset]!,
        badDebtUsd: badDebt,
        cause: round === 1 ? "shock" : "cascade",
        sources,
        crossProtocol: sources.some((source) => source !== plan.protocol),
        profitUsd: plan.profitUsd,
      };
      records.push(record);
      repaidUsd += record.repaidUsd;
      soldUsd += sold * roundPrices.market[plan.collateralAsset]!;
      badDebtUsd += badDebt;
    }

    let liquidityExhausted: boolean;
    if (target.mainnet !== undefined) {
      const traded = await tradeMainnetRound(
        client,
        { ...target, mainnet: target.mainnet },
        liquidator,
        options.tradeOrder!,
        netWei,
        tradedBy,
      );
      liquidityExhausted = traded.liquidityExhausted;
      movedBy = traded.movedBy;
    } else {
      netWei.delete(target.quote);
      for (const [asset, net] of netWei)
        if (net === 0n || assetById.get(asset)?.pair === undefined) netWei.delete(asset);
      const spotsBefore = await readPairSpots(client, target);
      ({ liquidityExhausted } = await tradeNetAmounts(client, target, liquidator, netWei));
      await moveFollowers(client, target, spotsBefore);
      movedBy = new Map();
      for (const [asset] of netWei) movedBy.set(asset, new Set(tradedBy.get(asset)));
      for (const asset of target.assets) {
        if (asset.leader === undefined) continue;
        const set = movedBy.get(asset.id) ?? new Set<Protocol>();
        for (const p of movedBy.get(asset.leader) ?? []) set.add(p);
        if (set.size > 0) movedBy.set(asset.id, set);
      }
    }
    prices = await readMarketPrices(client, target);
    rounds.push({
      round,
      liquidations: executed.length,
      repaidUsd,
      soldUsd,
      badDebtUsd,
      liquidityExhausted,
      unprofitable: skipped.length,
      unprofitableDebtUsd: skipped.reduce((sum, s) => sum + s.debtUsd, 0),
      prices: { ...prices },
      oraclePrices: roundPrices.reported,
    });
  }

  const protocols = new Set<Protocol>();
  if (target.aaveMarkets.length > 0) protocols.add("aave-v3");
  if ((target.morpho?.markets.length ?? 0) > 0) protocols.add("morpho-blue");
  const report = buildDevnetReport({
    shock: options.shock ?? {},
    converged,
    rounds,
    liquidations: records,
    protocols,
    initialPrices,
    afterShockPrices: startPrices,
    finalPrices: prices,
    stranded: { count: stranded.length, debtUsd: stranded.reduce((sum, s) => sum + s.debtUsd, 0) },
  });
  return { report, failed, executed: executedAll, keeper };
}

/**
 * Collateral units one loan unit buys at a Morpho oracle's price (loan wei per collateral wei,
 * scaled by 1e36): price / 10^(36 + loan decimals - collateral decimals).
 */
function morphoCollateralPerLoan(price: bigint, collateralDecimals: number, loanDecimals: number): number {
  return Number(price) / 10 ** (36 + loanDecimals - collateralDecimals);
}

/** Max approvals from the liquidator to every Aave pool and Morpho for every token, in one block. */
async function approveAll(target: CascadeTarget, liquidator: Address): Promise<void> {
  const spenders = [
    ...target.aaveMarkets.map((market) => market.pool),
    ...(target.morpho ? [target.morpho.address] : []),
  ];
  const calls: BatchCall[] = target.assets.flatMap((asset) =>
    spenders.map((spender) => ({
      to: asset.token,
      data: encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [spender, maxUint256] }),
      gas: 100_000n,
    })),
  );
  await sendCallsInOneBlock(target.rpcUrl, liquidator, calls);
}

/**
 * Bad debt in USD at the round's prices: debt left when the liquidation took the position's last
 * collateral (the model writes it off; Aave V3.6 and Morpho do on chain, Aave V3.0 leaves it).
 */
function badDebtOf(
  done: ExecutedLiquidation,
  aaveStates: ReadonlyMap<string, AavePositionState>,
  prices: Readonly<Record<string, number>>,
  decimalsOf: (asset: string) => number,
): number {
  const { plan } = done;
  if (plan.protocol === "morpho-blue") {
    return (Number(done.badDebtWrittenOffWei) / 10 ** decimalsOf(plan.debtAsset)) * prices[plan.debtAsset]!;
  }
  const state = aaveStates.get(`${plan.marketId}|${plan.account}`);
  if (state === undefined) return 0;
  const collateralLeft = state.collateral.some((c) =>
    c.reserve.asset === plan.collateralAsset ? c.amountWei > done.seizedWei : c.amountWei > 0n,
  );
  if (collateralLeft) return 0;
  let debtLeftUsd = 0;
  for (const d of state.debt) {
    const left = d.reserve.asset === plan.debtAsset ? d.amountWei - done.repaidWei : d.amountWei;
    if (left > 0n) debtLeftUsd += (Number(left) / 10 ** d.reserve.decimals) * prices[d.reserve.asset]!;
  }
  return debtLeftUsd;
}
