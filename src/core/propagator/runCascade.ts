/**
 * The round loop of docs/cascade-model.md section 4, on a compiled book. `simulate` wraps it into
 * a report; the curves call it without per-liquidation records.
 *
 * A round updates the oracles, judges every candidate at the round's oracle reports and market
 * prices with its protocol's kernel (`src/core/rules`), applies the liquidations in position
 * order, which is the report's order (market, account); they are independent (a position's
 * amounts change only by its own liquidation). Sums run in that order; then the round's trades
 * move the prices once.
 */
import {
  type Book,
  PROTOCOL_AAVE,
  PROTOCOL_AAVE_V4,
  PROTOCOL_BY_CODE,
  PROTOCOL_COMPOUND,
} from "../book/book.js";
import { accountAt } from "../book/bookAccounts.js";
import type { Protocol } from "../ids.js";
import { applyShockStep, applyTradeStep, initialPriceState } from "../liquidity/priceState.js";
import { updateOracles } from "../oracles/updateOracles.js";
import type { LiquidationRecord, RoundSummary } from "../report/cascadeReport.js";
import type { FlowGroups } from "../report/flowGroups.js";
import { type AaveV3MarketParams, decideAaveV3 } from "../rules/aaveV3.js";
import { type AaveV4MarketParams, decideAaveV4 } from "../rules/aaveV4.js";
import { decideCompoundV3 } from "../rules/compoundV3.js";
import { decideMorphoBlue, type MorphoMarketParams } from "../rules/morphoBlue.js";
import {
  ABSORBED,
  BLOCKED,
  emptyLiquidationDecision,
  HELD,
  LIQUIDATED,
  type LiquidationDecision,
  NOT_LIQUIDATABLE,
  type PositionView,
  type RoundPrices,
  UNPROFITABLE,
  WRITTEN_OFF,
} from "../rules/positionView.js";
import {
  type CandidateTracker,
  collectCandidates,
  createCandidateTracker,
  resetCandidateTracker,
} from "./collectCandidates.js";

// Module-local copies of imported bindings: some loaders (tsx's CommonJS path) turn every use of
// an imported binding into a getter call, which costs more than the hot loop's arithmetic.
const AAVE = PROTOCOL_AAVE;
const AAVE_V4 = PROTOCOL_AAVE_V4;
const COMPOUND = PROTOCOL_COMPOUND;
const IS_NOT_LIQUIDATABLE = NOT_LIQUIDATABLE;
const IS_LIQUIDATED = LIQUIDATED;
const IS_UNPROFITABLE = UNPROFITABLE;
const IS_BLOCKED = BLOCKED;
const IS_HELD = HELD;
const IS_ABSORBED = ABSORBED;
const IS_WRITTEN_OFF = WRITTEN_OFF;
const aaveV3Kernel = decideAaveV3;
const aaveV4Kernel = decideAaveV4;
const compoundV3Kernel = decideCompoundV3;
const morphoBlueKernel = decideMorphoBlue;

export interface CascadeRunOptions {
  readonly maxRounds: number;
  /** Build one `LiquidationRecord` per liquidation (the report needs them, curves do not). */
  readonly recordLiquidations: boolean;
  /**
   * Count the stranded positions when `maxRounds` cuts the cascade short (one more judging pass
   * at the next round's reports); when the cascade converges they are known for free.
   */
  readonly countStranded?: boolean;
  /** Judge every position every round instead of using the book's index (reference mode). */
  readonly judgeEveryPosition?: boolean;
  /** Arrays from `createCascadeWorkspace(book)` to reuse across runs; by default a fresh set. */
  readonly workspace?: CascadeWorkspace;
  /**
   * Group the liquidations into flows as they are applied (what `flowsOfRecords` gives from the
   * records), with `recordKeyRank(book.assets.ids)` as the rank.
   */
  readonly flowGroups?: FlowGroups;
}

/** The per-run arrays of a simulation, sized for one book; reusing them spares the allocator. */
export interface CascadeWorkspace {
  readonly book: Book;
  readonly collAmount: Float64Array;
  readonly debtAmount: Float64Array;
  readonly tracker: CandidateTracker;
}

export function createCascadeWorkspace(book: Book): CascadeWorkspace {
  return {
    book,
    collAmount: new Float64Array(book.positions.collAmount.length),
    debtAmount: new Float64Array(book.positions.debtAmount.length),
    tracker: createCandidateTracker(book),
  };
}

export interface CascadeRun {
  readonly converged: boolean;
  readonly rounds: RoundSummary[];
  /** In report order (round, market, account); empty unless recorded. */
  readonly liquidations: LiquidationRecord[];
  readonly positionsLiquidated: number;
  /** Sums over every liquidation in report order, recorded or not (the report's totals). */
  readonly tally: LiquidationTally;
  /** Liquidatable but unprofitable when the run stopped (NaN when not counted). */
  readonly stranded: number;
  readonly strandedDebtUsd: number;
  /** Liquidatable but held by Aave flags when the run stopped (model 2.1; NaN when not counted). */
  readonly blocked: number;
  readonly blockedDebtUsd: number;
  readonly afterShockPriceUsd: Float64Array;
  readonly finalPriceUsd: Float64Array;
}

/** Per-liquidation sums of a run, each added in report order (round, market, account). */
export interface LiquidationTally {
  liquidations: number;
  repaidUsd: number;
  badDebtUsd: number;
  /** Liquidations whose trigger came from another protocol's trades. */
  crossProtocol: number;
  /** By protocol code: liquidations, repaid and bad-debt USD. */
  readonly liquidationsBy: Float64Array;
  readonly repaidUsdBy: Float64Array;
  readonly badDebtUsdBy: Float64Array;
}

function emptyTally(): LiquidationTally {
  const protocols = PROTOCOL_BY_CODE.length;
  return {
    liquidations: 0,
    repaidUsd: 0,
    badDebtUsd: 0,
    crossProtocol: 0,
    liquidationsBy: new Float64Array(protocols),
    repaidUsdBy: new Float64Array(protocols),
    badDebtUsdBy: new Float64Array(protocols),
  };
}

/** Bit of a protocol code in a source mask. */
const bit = (protocol: number): number => 1 << protocol;

/** Protocols of a mask, in string order; frozen, shared by records. */
const SOURCES_BY_MASK: ReadonlyArray<readonly Protocol[]> = Array.from(
  { length: 1 << PROTOCOL_BY_CODE.length },
  (_, mask) => Object.freeze(PROTOCOL_BY_CODE.filter((_p, code) => (mask & bit(code)) !== 0).sort()),
);

/** `{assetId: priceUsd}` in asset id order. */
export function pricesRecord(book: Book, priceUsd: Float64Array): Record<string, number> {
  const out: Record<string, number> = {};
  for (let a = 0; a < book.assets.count; a++) out[book.assets.ids[a]!] = priceUsd[a]!;
  return out;
}

/** `{oracleId: reportUsd}` of the oracles markets read, in id order. */
export function oraclePricesRecord(book: Book, reportUsd: Float64Array): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of book.oracles.reported) out[book.oracles.ids[o]!] = reportUsd[o]!;
  return out;
}

/** Each market's kernel parameters, built once per run (one object shape per protocol). */
type MarketParams = AaveV3MarketParams | AaveV4MarketParams | MorphoMarketParams | null;

function marketParamsOf(book: Book): MarketParams[] {
  const { markets } = book;
  const out: MarketParams[] = [];
  for (let m = 0; m < markets.count; m++) {
    const protocol = markets.protocol[m];
    const liquidationGasUsd = markets.liquidationGasUsd[m]!;
    if (protocol === PROTOCOL_AAVE) {
      out.push({
        liquidationLogic: markets.aaveLogicV33[m] === 1 ? "v3.3" : "v3.0",
        closeFactor: markets.closeFactor[m]!,
        closeFactorHfThreshold: markets.closeFactorHfThreshold[m]!,
        fullCloseBelowUsd: markets.fullCloseBelowUsd[m]!,
        minLeftoverUsd: markets.minLeftoverUsd[m]!,
        liquidationGasUsd,
        liquidationHealthLimit: markets.liquidationHealthLimit[m]!,
        heldAssets: markets.heldAssets[m] ?? null,
      });
    } else if (protocol === PROTOCOL_AAVE_V4) {
      out.push({
        targetHealthFactor: markets.targetHealthFactor[m]!,
        healthFactorForMaxBonus: markets.healthFactorForMaxBonus[m]!,
        liquidationBonusFactor: markets.liquidationBonusFactor[m]!,
        dustUsd: markets.dustUsd[m]!,
        liquidationGasUsd,
      });
    } else if (protocol === PROTOCOL_COMPOUND) {
      out.push(null);
    } else {
      out.push({
        lltv: markets.lltv[m]!,
        liquidationIncentiveFactor: markets.liquidationIncentiveFactor[m]!,
        liquidationGasUsd,
      });
    }
  }
  return out;
}

/**
 * Runs the shock step (`shockFactor[a]` = 1 + s per asset index) and the rounds. Amounts are
 * token units; values USD at each round's oracle reports or market prices; no rounding beyond float64.
 */
export function runCascade(book: Book, shockFactor: Float64Array, options: CascadeRunOptions): CascadeRun {
  const { assets, positions } = book;
  const assetCount = assets.count;
  const state = initialPriceState(assets);
  applyShockStep(assets, state, shockFactor);
  const afterShockPriceUsd = state.priceUsd.slice();
  const reportUsd = book.oracles.reportedUsd.slice();

  const workspace = options.workspace?.book === book ? options.workspace : createCascadeWorkspace(book);
  const { collAmount, debtAmount } = workspace;
  collAmount.set(positions.collAmount);
  debtAmount.set(positions.debtAmount);
  const tracker = workspace.tracker;
  resetCandidateTracker(book, tracker);
  const { alive, changedList } = tracker;
  const candidates = tracker.out;
  const view: PositionView = { ...positions, collAmount, debtAmount };

  const context: RoundContext = {
    book,
    view,
    tracker,
    marketParams: marketParamsOf(book),
    decision: emptyLiquidationDecision(),
    sold: new Float64Array(assetCount),
    bought: new Float64Array(assetCount),
    tradedBy: new Int32Array(assetCount),
    recordLiquidations: options.recordLiquidations,
    liquidations: [],
    tally: emptyTally(),
    flowGroups: options.flowGroups,
  };
  const { sold, bought, tradedBy } = context;
  const net = new Float64Array(assetCount);
  const traded = new Uint8Array(assetCount);
  // Per asset: protocols whose previous-round flows moved a price it depends on.
  let movedBy: Int32Array = new Int32Array(assetCount);

  const rounds: RoundSummary[] = [];
  let positionsLiquidated = 0;
  let converged = false;
  let stranded = Number.NaN;
  let strandedDebtUsd = Number.NaN;
  let blocked = Number.NaN;
  let blockedDebtUsd = Number.NaN;
  // Model 2.1 fields appear only in a book with Aave flags: other reports stay as they were.
  const held = book.markets.anyHeld;

  const judgeRound = (round: number, apply: boolean): RoundOutcome => {
    updateOracles(book.oracles, state.priceUsd, reportUsd);
    const prices: RoundPrices = { oracleUsd: reportUsd.slice(), marketUsd: state.priceUsd.slice() };
    let count: number;
    if (options.judgeEveryPosition === true) {
      count = 0;
      for (let i = 0; i < positions.count; i++) if (alive[i] === 1) candidates[count++] = i;
    } else {
      count = collectCandidates(book, tracker, round, prices.oracleUsd);
    }
    sold.fill(0);
    bought.fill(0);
    tradedBy.fill(0);
    return liquidateRound(context, round, prices, count, movedBy, apply);
  };

  for (let round = 1; round <= options.maxRounds; round++) {
    const outcome = judgeRound(round, true);
    positionsLiquidated += outcome.positionsLiquidated;
    if (outcome.liquidations === 0) {
      converged = true;
      stranded = outcome.unprofitable;
      strandedDebtUsd = outcome.unprofitableDebtUsd;
      blocked = outcome.held;
      blockedDebtUsd = outcome.heldDebtUsd;
      break;
    }
    for (let a = 0; a < assetCount; a++) net[a] = sold[a]! - bought[a]!;
    const liquidityExhausted = applyTradeStep(assets, state, net, traded);
    movedBy = movedByOfRound(book, tradedBy, traded);
    rounds.push({
      round,
      liquidations: outcome.liquidations,
      repaidUsd: outcome.repaidUsd,
      soldUsd: outcome.soldUsd,
      badDebtUsd: outcome.badDebtUsd,
      liquidityExhausted,
      unprofitable: outcome.unprofitable,
      unprofitableDebtUsd: outcome.unprofitableDebtUsd,
      ...(held ? { blocked: outcome.held, blockedDebtUsd: outcome.heldDebtUsd } : {}),
      prices: pricesRecord(book, state.priceUsd),
      oraclePrices: oraclePricesRecord(book, outcome.oracleUsd),
    });
    // Compact: positions that have left no longer need judging.
    let kept = 0;
    for (const i of changedList) if (alive[i] === 1) changedList[kept++] = i;
    changedList.length = kept;
  }
  if (!converged && options.countStranded === true) {
    const next = judgeRound(options.maxRounds + 1, false);
    stranded = next.unprofitable;
    strandedDebtUsd = next.unprofitableDebtUsd;
    blocked = next.held;
    blockedDebtUsd = next.heldDebtUsd;
  }

  return {
    converged,
    rounds,
    liquidations: context.liquidations,
    positionsLiquidated,
    tally: context.tally,
    stranded,
    strandedDebtUsd,
    blocked,
    blockedDebtUsd,
    afterShockPriceUsd,
    finalPriceUsd: state.priceUsd.slice(),
  };
}

/**
 * Attribution after a round's trades: a protocol's flows reach the assets it sold or bought and
 * their quotes up to USD; an asset whose pool (not infinite) traded a non-zero net moved for the
 * protocols its flows came from; an asset depends on itself, its quotes and its leaders, and
 * theirs, transitively.
 */
function movedByOfRound(book: Book, tradedBy: Int32Array, traded: Uint8Array): Int32Array {
  const { tradeOrder, dependencyOrder, quote, leader } = book.assets;
  const reach = tradedBy.slice();
  for (let k = 0; k < tradeOrder.length; k++) {
    const a = tradeOrder[k]!;
    const q = quote[a]!;
    if (q >= 0) reach[q] = reach[q]! | reach[a]!;
  }
  const moved = new Int32Array(reach.length);
  for (let k = 0; k < dependencyOrder.length; k++) {
    const a = dependencyOrder[k]!;
    let mask = traded[a] === 1 ? reach[a]! : 0;
    if (quote[a]! >= 0) mask |= moved[quote[a]!]!;
    if (leader[a]! >= 0) mask |= moved[leader[a]!]!;
    moved[a] = mask;
  }
  return moved;
}

/** What one round's liquidation pass needs; built once per run. */
interface RoundContext {
  readonly book: Book;
  /** The book's positions with this run's amounts. */
  readonly view: PositionView;
  readonly tracker: CandidateTracker;
  readonly marketParams: readonly MarketParams[];
  readonly decision: LiquidationDecision;
  /** Per asset, over one round: tokens sold, tokens bought, which protocols traded it. */
  readonly sold: Float64Array;
  readonly bought: Float64Array;
  readonly tradedBy: Int32Array;
  readonly recordLiquidations: boolean;
  readonly liquidations: LiquidationRecord[];
  readonly tally: LiquidationTally;
  readonly flowGroups: FlowGroups | undefined;
}

interface RoundOutcome {
  readonly liquidations: number;
  readonly repaidUsd: number;
  readonly soldUsd: number;
  readonly badDebtUsd: number;
  readonly unprofitable: number;
  readonly unprofitableDebtUsd: number;
  /** Liquidatable positions held by Aave flags (model 2.1), and their whole debt at oracle reports. */
  readonly held: number;
  readonly heldDebtUsd: number;
  /** Positions liquidated for the first time in this round. */
  readonly positionsLiquidated: number;
  readonly oracleUsd: Float64Array;
}

/** Runs the protocol's kernel on position `i`. */
function decide(context: RoundContext, i: number, prices: RoundPrices): LiquidationDecision {
  const { book, view, marketParams, decision } = context;
  const { collStart, debtStart } = book.positions;
  const c0 = collStart[i]!;
  const c1 = collStart[i + 1]!;
  const d0 = debtStart[i]!;
  const d1 = debtStart[i + 1]!;
  const m = book.positions.market[i]!;
  const protocol = book.positions.protocol[i];
  if (protocol === AAVE) {
    aaveV3Kernel(decision, view, c0, c1, d0, d1, prices, marketParams[m] as AaveV3MarketParams);
  } else if (protocol === AAVE_V4) {
    aaveV4Kernel(decision, view, c0, c1, d0, d1, prices, marketParams[m] as AaveV4MarketParams);
  } else if (protocol === COMPOUND) {
    compoundV3Kernel(decision, view, c0, c1, d0, d1, prices);
  } else {
    morphoBlueKernel(decision, view, c0, c1, d0, d1, prices, marketParams[m] as MorphoMarketParams);
  }
  return decision;
}

/**
 * Judges the round's candidates and, when `apply`, applies every liquidation; fills the context's
 * per-asset `sold`, `bought` and `tradedBy`. A function of its own so the JIT optimises this hot
 * loop early and separately from the run's setup.
 */
function liquidateRound(
  context: RoundContext,
  round: number,
  prices: RoundPrices,
  count: number,
  movedBy: Int32Array,
  apply: boolean,
): RoundOutcome {
  const { book, view, tracker, sold, bought, tradedBy } = context;
  const { assets, markets, positions } = book;
  const { collStart, collAsset, collOracle, collThreshold, debtStart, debtAsset, debtOracle } = positions;
  const { collAmount, debtAmount } = view;
  const { oracleUsd, marketUsd } = prices;
  const { alive, changed, changedList, judgedHealth, judgedRound } = tracker;
  const candidates = tracker.out;
  const liquidations = context.liquidations;
  const record = context.recordLiquidations;
  const { tally, flowGroups } = context;
  let positionsLiquidated = 0;
  let roundLiquidations = 0;
  let roundRepaidUsd = 0;
  let roundSoldUsd = 0;
  let roundBadDebtUsd = 0;
  let unprofitable = 0;
  let unprofitableDebtUsd = 0;
  let held = 0;
  let heldDebtUsd = 0;

  for (let k = 0; k < count; k++) {
    const i = candidates[k]!;
    const decision = decide(context, i, prices);
    const outcome = decision.outcome;
    if (outcome === IS_NOT_LIQUIDATABLE) {
      // Remember the health at these reports: later rounds skip it while they cannot have tipped it.
      judgedHealth[i] = decision.healthFactor;
      judgedRound[i] = round;
      continue;
    }
    if (outcome === IS_UNPROFITABLE || outcome === IS_BLOCKED || outcome === IS_HELD) {
      // Liquidatable but left alone: judge it again next round.
      judgedRound[i] = 0;
      if (outcome === IS_UNPROFITABLE) {
        unprofitable++;
        unprofitableDebtUsd += decision.debtUsd;
      } else if (outcome === IS_HELD) {
        held++;
        heldDebtUsd += decision.debtUsd;
      }
      continue;
    }
    if (!apply) continue;
    const c0 = collStart[i]!;
    const c1 = collStart[i + 1]!;
    const d0 = debtStart[i]!;
    const d1 = debtStart[i + 1]!;
    const protocol = positions.protocol[i]!;
    const protocolBit = bit(protocol);

    // Sources: what moved, in the previous round, a price this position depends on now.
    let sourceMask = 0;
    if (round > 1) {
      for (let e = c0; e < c1; e++) if (collAmount[e]! !== 0) sourceMask |= movedBy[collAsset[e]!]!;
      for (let e = d0; e < d1; e++) if (debtAmount[e]! !== 0) sourceMask |= movedBy[debtAsset[e]!]!;
    }

    let repaidUsd = 0;
    let seizedUsd = 0;
    let repaidRecord: Record<string, number> | undefined;
    let seizedRecord: Record<string, number> | undefined;
    if (record) {
      // Empty literal plus keyed stores: cheaper than a computed key in a literal.
      repaidRecord = {};
      seizedRecord = {};
    }

    if (outcome === IS_ABSORBED) {
      // Absorb: all debt cleared, all collateral taken; sold (and the base bought) unless the comet keeps it.
      const sells = markets.sellsAbsorbed[positions.market[i]!] === 1;
      for (let e = c0; e < c1; e++) {
        const a = collAsset[e]!;
        const c = collAmount[e]!;
        if (c > 0) {
          seizedUsd += c * oracleUsd[collOracle[e]!]!;
          if (sells) {
            sold[a] = sold[a]! + c;
            tradedBy[a] = tradedBy[a]! | protocolBit;
            roundSoldUsd += c * marketUsd[a]!;
          }
          if (seizedRecord !== undefined) seizedRecord[assets.ids[a]!] = c;
          flowGroups?.collateral(a, c);
        }
        collAmount[e] = 0;
      }
      for (let e = d0; e < d1; e++) {
        const a = debtAsset[e]!;
        const d = debtAmount[e]!;
        if (d > 0) {
          repaidUsd += d * oracleUsd[debtOracle[e]!]!;
          if (sells) {
            bought[a] = bought[a]! + d;
            tradedBy[a] = tradedBy[a]! | protocolBit;
          }
          if (repaidRecord !== undefined) repaidRecord[assets.ids[a]!] = d;
          flowGroups?.debt(a, d);
        }
        debtAmount[e] = 0;
      }
      alive[i] = 0;
    } else if (outcome === IS_WRITTEN_OFF) {
      for (let e = d0; e < d1; e++) debtAmount[e] = 0;
      alive[i] = 0;
    } else {
      // LIQUIDATED: one collateral and one debt entry.
      const { repay, seize, fee } = decision;
      const j = decision.debtEntry;
      const e = decision.collEntry;
      const dA = debtAsset[j]!;
      const cA = collAsset[e]!;
      debtAmount[j] = Math.max(0, debtAmount[j]! - repay);
      collAmount[e] = Math.max(0, collAmount[e]! - seize);
      repaidUsd = repay * oracleUsd[debtOracle[j]!]!;
      seizedUsd = seize * oracleUsd[collOracle[e]!]!;
      if (repay > 0) {
        bought[dA] = bought[dA]! + repay;
        tradedBy[dA] = tradedBy[dA]! | protocolBit;
      }
      const soldAmount = seize - fee;
      if (soldAmount > 0) {
        sold[cA] = sold[cA]! + soldAmount;
        tradedBy[cA] = tradedBy[cA]! | protocolBit;
        roundSoldUsd += soldAmount * marketUsd[cA]!;
      }
      if (repaidRecord !== undefined) repaidRecord[assets.ids[dA]!] = repay;
      if (seizedRecord !== undefined) seizedRecord[assets.ids[cA]!] = seize;
      if (flowGroups !== undefined) {
        flowGroups.collateral(cA, seize);
        flowGroups.debt(dA, repay);
      }
      let debtLeftUsd = 0;
      let debtLeft = false;
      for (let f = d0; f < d1; f++) {
        const left = debtAmount[f]!;
        if (left > 0) debtLeft = true;
        debtLeftUsd += left * oracleUsd[debtOracle[f]!]!;
      }
      if (decision.writeOff) {
        for (let f = d0; f < d1; f++) debtAmount[f] = 0;
        alive[i] = 0;
      } else if (!debtLeft) {
        alive[i] = 0;
      } else {
        let weightedLeftUsd = 0;
        for (let f = c0; f < c1; f++)
          weightedLeftUsd += collAmount[f]! * oracleUsd[collOracle[f]!]! * collThreshold[f]!;
        judgedHealth[i] = weightedLeftUsd / debtLeftUsd;
        judgedRound[i] = round;
      }
    }

    roundLiquidations++;
    roundRepaidUsd += repaidUsd;
    roundBadDebtUsd += decision.badDebtUsd;
    const crossProtocol = (sourceMask & ~protocolBit) !== 0;
    tally.liquidations++;
    tally.repaidUsd += repaidUsd;
    tally.badDebtUsd += decision.badDebtUsd;
    if (crossProtocol) tally.crossProtocol++;
    const { liquidationsBy, repaidUsdBy, badDebtUsdBy } = tally;
    liquidationsBy[protocol] = liquidationsBy[protocol]! + 1;
    repaidUsdBy[protocol] = repaidUsdBy[protocol]! + repaidUsd;
    badDebtUsdBy[protocol] = badDebtUsdBy[protocol]! + decision.badDebtUsd;
    flowGroups?.liquidation(round, protocol, seizedUsd, repaidUsd, decision.badDebtUsd, crossProtocol);
    if (changed[i] === 0) {
      changed[i] = 1;
      changedList.push(i);
      positionsLiquidated++;
    }
    if (record) {
      const market = markets.ids[positions.market[i]!]!;
      const account = accountAt(positions.accounts, i);
      const protocolName = PROTOCOL_BY_CODE[protocol]!;
      const cause = round === 1 ? "shock" : "cascade";
      const sources = SOURCES_BY_MASK[round > 1 ? sourceMask : 0]!;
      const { healthFactor, badDebtUsd } = decision;
      const repaid = repaidRecord ?? {};
      const seized = seizedRecord ?? {};
      // Two literals rather than a spread: one record per liquidation, on the hot path.
      liquidations.push(
        outcome === IS_LIQUIDATED
          ? {
              round,
              market,
              account,
              protocol: protocolName,
              healthFactor,
              repaid,
              seized,
              repaidUsd,
              seizedUsd,
              profitUsd: decision.profitUsd,
              badDebtUsd,
              cause,
              sources,
              crossProtocol,
            }
          : {
              round,
              market,
              account,
              protocol: protocolName,
              healthFactor,
              repaid,
              seized,
              repaidUsd,
              seizedUsd,
              badDebtUsd,
              cause,
              sources,
              crossProtocol,
            },
      );
    }
  }

  return {
    liquidations: roundLiquidations,
    repaidUsd: roundRepaidUsd,
    soldUsd: roundSoldUsd,
    badDebtUsd: roundBadDebtUsd,
    unprofitable,
    unprofitableDebtUsd,
    held,
    heldDebtUsd,
    positionsLiquidated,
    oracleUsd: prices.oracleUsd,
  };
}
