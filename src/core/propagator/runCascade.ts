/**
 * The round loop of cascade-model.md section 3, on a compiled book. `simulate` wraps it into a
 * report; the curves call it without per-liquidation records.
 *
 * Within a round every position is judged at the round's starting prices, liquidations are
 * applied in position order, which is the report's order (market, account); they are independent
 * (a position's amounts change only by its own liquidation). Sums run in that order; then the
 * trades move the prices once.
 */
import {
  type Book,
  LIQUIDITY_INFINITE,
  PROTOCOL_AAVE,
  PROTOCOL_BY_CODE,
  PROTOCOL_COMPOUND,
  PROTOCOL_MORPHO,
} from "../book/book.js";
import type { Protocol } from "../ids.js";
import { applyShockStep, applyTradeStep, initialPriceState } from "../liquidity/priceState.js";
import type { LiquidationRecord, RoundSummary } from "../report/cascadeReport.js";
import { type AaveCloseParams, aaveLiquidationAmounts } from "../rules/aaveV3.js";
import { compoundShortfallUsd } from "../rules/compoundV3.js";
import { emptyLiquidationAmounts, type LiquidationAmounts } from "../rules/liquidationAmounts.js";
import { morphoIsLiquidatable, morphoLiquidationAmounts } from "../rules/morphoBlue.js";
import {
  type CandidateTracker,
  collectCandidates,
  createCandidateTracker,
  resetCandidateTracker,
} from "./collectCandidates.js";

export interface CascadeRunOptions {
  readonly maxRounds: number;
  /** Build one `LiquidationRecord` per liquidation (the report needs them, curves do not). */
  readonly recordLiquidations: boolean;
  /** Judge every position every round instead of using the book's index (reference mode). */
  readonly judgeEveryPosition?: boolean;
  /** Arrays from `createCascadeWorkspace(book)` to reuse across runs; by default a fresh set. */
  readonly workspace?: CascadeWorkspace;
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
  readonly afterShockPriceUsd: Float64Array;
  readonly finalPriceUsd: Float64Array;
}

/** Bit of a protocol code in a source mask. */
const bit = (protocol: number): number => 1 << protocol;

/** Protocols of a mask, in string order (aave-v3, compound-v3, morpho-blue); frozen, shared by records. */
const SOURCES_BY_MASK: ReadonlyArray<readonly Protocol[]> = Array.from(
  { length: 1 << PROTOCOL_BY_CODE.length },
  (_, mask) => Object.freeze(PROTOCOL_BY_CODE.filter((_p, code) => (mask & bit(code)) !== 0).sort()),
);
const AAVE = PROTOCOL_AAVE;
const MORPHO = PROTOCOL_MORPHO;
const COMPOUND = PROTOCOL_COMPOUND;

/** `{assetId: priceUsd}` in asset id order. */
export function pricesRecord(book: Book, priceUsd: Float64Array): Record<string, number> {
  const out: Record<string, number> = {};
  for (let a = 0; a < book.assets.count; a++) out[book.assets.ids[a]!] = priceUsd[a]!;
  return out;
}

/**
 * Runs the shock step (`shockFactor[a]` = 1 + s per asset index) and the rounds. Amounts are
 * token units and values USD at each round's start prices; no rounding beyond float64.
 */
export function runCascade(book: Book, shockFactor: Float64Array, options: CascadeRunOptions): CascadeRun {
  const { assets, markets, positions } = book;
  const assetCount = assets.count;
  const state = initialPriceState(assets);
  applyShockStep(assets, state, shockFactor);
  const afterShockPriceUsd = state.priceUsd.slice();

  const workspace = options.workspace?.book === book ? options.workspace : createCascadeWorkspace(book);
  const { collAmount, debtAmount } = workspace;
  collAmount.set(positions.collAmount);
  debtAmount.set(positions.debtAmount);
  const tracker = workspace.tracker;
  resetCandidateTracker(book, tracker);
  const { alive, changedList } = tracker;
  const candidates = tracker.out;
  const aaveParams: AaveCloseParams[] = [];
  for (let m = 0; m < markets.count; m++) {
    aaveParams.push({
      liquidationLogic: markets.aaveLogicV33[m] === 1 ? "v3.3" : "v3.0",
      closeFactor: markets.closeFactor[m]!,
      closeFactorHfThreshold: markets.closeFactorHfThreshold[m]!,
      fullCloseBelowUsd: markets.fullCloseBelowUsd[m]!,
      minLeftoverUsd: markets.minLeftoverUsd[m]!,
    });
  }
  const amounts = emptyLiquidationAmounts();
  // Per asset, over one round: tokens sold, tokens repaid, and which protocols traded it.
  const sold = new Float64Array(assetCount);
  const repaid = new Float64Array(assetCount);
  const net = new Float64Array(assetCount);
  const tradedBy = new Int32Array(assetCount);
  // Per asset: protocols whose previous-round trades moved its price (directly or via a leader).
  let movedBy = new Int32Array(assetCount);

  const rounds: RoundSummary[] = [];
  const liquidations: LiquidationRecord[] = [];
  const context: RoundContext = {
    book,
    collAmount,
    debtAmount,
    tracker,
    aaveParams,
    amounts,
    sold,
    repaid,
    tradedBy,
    recordLiquidations: options.recordLiquidations,
    liquidations,
  };
  let positionsLiquidated = 0;
  let converged = false;

  for (let round = 1; round <= options.maxRounds; round++) {
    const price = state.priceUsd.slice();
    let count: number;
    if (options.judgeEveryPosition === true) {
      count = 0;
      for (let i = 0; i < positions.count; i++) if (alive[i] === 1) candidates[count++] = i;
    } else {
      count = collectCandidates(book, tracker, round, price);
    }
    sold.fill(0);
    repaid.fill(0);
    tradedBy.fill(0);
    const outcome = liquidateRound(context, round, price, count, movedBy);
    const roundLiquidations = outcome.liquidations;
    const roundRepaidUsd = outcome.repaidUsd;
    const roundSoldUsd = outcome.soldUsd;
    const roundBadDebtUsd = outcome.badDebtUsd;
    positionsLiquidated += outcome.positionsLiquidated;

    if (roundLiquidations === 0) {
      converged = true;
      break;
    }
    for (let a = 0; a < assetCount; a++) net[a] = sold[a]! - repaid[a]!;
    const liquidityExhausted = applyTradeStep(assets, state, net);
    const nextMovedBy = new Int32Array(assetCount);
    for (let a = 0; a < assetCount; a++) {
      if (net[a] !== 0 && assets.liquidityKind[a] !== LIQUIDITY_INFINITE) nextMovedBy[a] = tradedBy[a]!;
    }
    for (const f of assets.followerOrder) nextMovedBy[f] = nextMovedBy[f]! | nextMovedBy[assets.leader[f]!]!;
    movedBy = nextMovedBy;

    rounds.push({
      round,
      liquidations: roundLiquidations,
      repaidUsd: roundRepaidUsd,
      soldUsd: roundSoldUsd,
      badDebtUsd: roundBadDebtUsd,
      liquidityExhausted,
      prices: pricesRecord(book, state.priceUsd),
    });
    // Compact: positions that have left no longer need judging.
    let kept = 0;
    for (const i of changedList) if (alive[i] === 1) changedList[kept++] = i;
    changedList.length = kept;
  }

  return {
    converged,
    rounds,
    liquidations,
    positionsLiquidated,
    afterShockPriceUsd,
    finalPriceUsd: state.priceUsd.slice(),
  };
}

/** What one round's liquidation pass needs; built once per run. */
interface RoundContext {
  readonly book: Book;
  readonly collAmount: Float64Array;
  readonly debtAmount: Float64Array;
  readonly tracker: CandidateTracker;
  readonly aaveParams: readonly AaveCloseParams[];
  readonly amounts: LiquidationAmounts;
  readonly sold: Float64Array;
  readonly repaid: Float64Array;
  readonly tradedBy: Int32Array;
  readonly recordLiquidations: boolean;
  readonly liquidations: LiquidationRecord[];
}

interface RoundOutcome {
  readonly liquidations: number;
  readonly repaidUsd: number;
  readonly soldUsd: number;
  readonly badDebtUsd: number;
  /** Positions liquidated for the first time in this round. */
  readonly positionsLiquidated: number;
}

/**
 * Judges the round's candidates at `price` (the round's start prices) and applies every
 * liquidation; fills the context's per-asset `sold`, `repaid` and `tradedBy`. A function of its
 * own so the JIT optimises this hot loop early and separately from the run's setup.
 */
function liquidateRound(
  context: RoundContext,
  round: number,
  price: Float64Array,
  count: number,
  movedBy: Int32Array,
): RoundOutcome {
  const { book, collAmount, debtAmount, tracker, aaveParams, amounts, sold, repaid, tradedBy } = context;
  const { assets, markets, positions } = book;
  const { collStart, collAsset, collThreshold, collBonus, collProtocolFee, collLiquidationFactor } =
    positions;
  const { debtStart, debtAsset } = positions;
  const { alive, changed, changedList, judgedHealth, judgedRound } = tracker;
  const candidates = tracker.out;
  const liquidations = context.liquidations;
  const record = context.recordLiquidations;
  let positionsLiquidated = 0;
  let roundLiquidations = 0;
  let roundRepaidUsd = 0;
  let roundSoldUsd = 0;
  let roundBadDebtUsd = 0;

  // One loop body for all protocols on purpose: it runs for every candidate of every round,
  // and keeping it flat avoids a call and an object per position.
  for (let k = 0; k < count; k++) {
    const i = candidates[k]!;
    const c0 = collStart[i]!;
    const c1 = collStart[i + 1]!;
    const d0 = debtStart[i]!;
    const d1 = debtStart[i + 1]!;
    const m = positions.market[i]!;
    const protocol = positions.protocol[i]!;

    // Health, judged at the round's starting prices.
    let weightedUsd = 0;
    for (let e = c0; e < c1; e++) weightedUsd += collAmount[e]! * price[collAsset[e]!]! * collThreshold[e]!;
    let debtUsd = 0;
    for (let e = d0; e < d1; e++) debtUsd += debtAmount[e]! * price[debtAsset[e]!]!;
    let healthFactor: number;
    let liquidatable: boolean;
    if (protocol === AAVE) {
      healthFactor = debtUsd > 0 ? weightedUsd / debtUsd : Number.POSITIVE_INFINITY;
      liquidatable = healthFactor < 1;
    } else if (protocol === MORPHO) {
      const c = c1 > c0 ? collAmount[c0]! : 0;
      const pColl = price[markets.collateralAsset[m]!]!;
      const d = d1 > d0 ? debtAmount[d0]! : 0;
      const pLoan = price[markets.loanAsset[m]!]!;
      liquidatable = morphoIsLiquidatable(c, pColl, d, pLoan, markets.lltv[m]!);
      healthFactor = debtUsd > 0 ? (c * pColl * markets.lltv[m]!) / debtUsd : Number.POSITIVE_INFINITY;
    } else {
      liquidatable = weightedUsd < debtUsd;
      healthFactor = weightedUsd / debtUsd;
    }
    if (!liquidatable) {
      // Remember the health at these prices: later rounds skip it while prices cannot have tipped it.
      judgedHealth[i] = weightedUsd / debtUsd;
      judgedRound[i] = round;
      continue;
    }

    // Sources: what moved, in the previous round, a price of an asset this position holds now.
    let sourceMask = 0;
    if (round > 1) {
      for (let e = c0; e < c1; e++) if (collAmount[e]! !== 0) sourceMask |= movedBy[collAsset[e]!]!;
      for (let e = d0; e < d1; e++) if (debtAmount[e]! !== 0) sourceMask |= movedBy[debtAsset[e]!]!;
    }

    let repaidUsd = 0;
    let seizedUsd = 0;
    let badDebtUsd = 0;
    let repaidRecord: Record<string, number> | undefined;
    let seizedRecord: Record<string, number> | undefined;
    const protocolBit = bit(protocol);

    if (protocol === COMPOUND) {
      // Absorb: all debt cleared, all collateral sold at once.
      let creditedUsd = 0;
      if (record) {
        repaidRecord = {};
        seizedRecord = {};
      }
      for (let e = c0; e < c1; e++) {
        const a = collAsset[e]!;
        const c = collAmount[e]!;
        creditedUsd += c * price[a]! * collLiquidationFactor[e]!;
        if (c > 0) {
          sold[a] = sold[a]! + c;
          tradedBy[a] = tradedBy[a]! | protocolBit;
          seizedUsd += c * price[a]!;
          roundSoldUsd += c * price[a]!;
          if (seizedRecord !== undefined) seizedRecord[assets.ids[a]!] = c;
        }
        collAmount[e] = 0;
      }
      for (let e = d0; e < d1; e++) {
        const a = debtAsset[e]!;
        const d = debtAmount[e]!;
        if (d > 0) {
          repaid[a] = repaid[a]! + d;
          tradedBy[a] = tradedBy[a]! | protocolBit;
          repaidUsd += d * price[a]!;
          if (repaidRecord !== undefined) repaidRecord[assets.ids[a]!] = d;
        }
        debtAmount[e] = 0;
      }
      badDebtUsd = compoundShortfallUsd(debtUsd, creditedUsd);
      alive[i] = 0;
    } else {
      // Aave and Morpho: one collateral and one debt asset per liquidation.
      let jDebt = -1;
      let bestDebtUsd = Number.NEGATIVE_INFINITY;
      for (let e = d0; e < d1; e++) {
        const usd = debtAmount[e]! * price[debtAsset[e]!]!;
        if (usd > bestDebtUsd) {
          bestDebtUsd = usd;
          jDebt = e;
        }
      }
      let iColl = -1;
      let bestCollUsd = Number.NEGATIVE_INFINITY;
      for (let e = c0; e < c1; e++) {
        const usd = collAmount[e]! * price[collAsset[e]!]!;
        if (usd > bestCollUsd) {
          bestCollUsd = usd;
          iColl = e;
        }
      }
      const d = debtAmount[jDebt]!;
      const pD = price[debtAsset[jDebt]!]!;
      if (protocol === AAVE) {
        if (iColl < 0) {
          amounts.repay = 0;
          amounts.seize = 0;
          amounts.protocolFee = 0;
        } else {
          const cA = collAsset[iColl]!;
          const done = aaveLiquidationAmounts(
            amounts,
            aaveParams[m]!,
            healthFactor,
            debtUsd,
            collAmount[iColl]!,
            price[cA]!,
            collBonus[iColl]!,
            collProtocolFee[iColl]!,
            d,
            pD,
          );
          if (!done) {
            judgedRound[i] = 0; // liquidatable but blocked by the dust rule: judge again
            continue;
          }
        }
      } else {
        const c = iColl < 0 ? 0 : collAmount[iColl]!;
        const pColl = price[markets.collateralAsset[m]!]!;
        morphoLiquidationAmounts(amounts, markets.liquidationIncentiveFactor[m]!, c, pColl, d, pD);
      }
      const { repay, seize, protocolFee } = amounts;
      const dA = debtAsset[jDebt]!;
      debtAmount[jDebt] = Math.max(0, d - repay);
      repaidUsd = repay * pD;
      if (repay > 0) {
        repaid[dA] = repaid[dA]! + repay;
        tradedBy[dA] = tradedBy[dA]! | protocolBit;
      }
      if (record) {
        // Empty literal plus a keyed store: cheaper than a computed key in a literal.
        repaidRecord = {};
        repaidRecord[assets.ids[dA]!] = repay;
        seizedRecord = {};
      }
      if (iColl >= 0) {
        const cA = collAsset[iColl]!;
        collAmount[iColl] = Math.max(0, collAmount[iColl]! - seize);
        seizedUsd = seize * price[cA]!;
        const soldAmount = seize - protocolFee;
        if (soldAmount > 0) {
          sold[cA] = sold[cA]! + soldAmount;
          tradedBy[cA] = tradedBy[cA]! | protocolBit;
          roundSoldUsd += soldAmount * price[cA]!;
        }
        if (seizedRecord !== undefined) seizedRecord[assets.ids[cA]!] = seize;
      }
      // Bad debt: debt left and no collateral value left; the rest of the debt is written off.
      let debtLeft = false;
      let debtLeftUsd = 0;
      for (let e = d0; e < d1; e++) {
        const left = debtAmount[e]!;
        if (left > 0) debtLeft = true;
        debtLeftUsd += left * price[debtAsset[e]!]!;
      }
      let collLeftUsd = 0;
      for (let e = c0; e < c1; e++) collLeftUsd += collAmount[e]! * price[collAsset[e]!]!;
      if (debtLeft && collLeftUsd === 0) {
        badDebtUsd = debtLeftUsd;
        for (let e = d0; e < d1; e++) debtAmount[e] = 0;
        alive[i] = 0;
      } else if (!debtLeft) {
        alive[i] = 0;
      } else {
        let weightedLeftUsd = 0;
        for (let e = c0; e < c1; e++)
          weightedLeftUsd += collAmount[e]! * price[collAsset[e]!]! * collThreshold[e]!;
        judgedHealth[i] = weightedLeftUsd / debtLeftUsd;
        judgedRound[i] = round;
      }
    }

    roundLiquidations++;
    roundRepaidUsd += repaidUsd;
    roundBadDebtUsd += badDebtUsd;
    if (changed[i] === 0) {
      changed[i] = 1;
      changedList.push(i);
      positionsLiquidated++;
    }
    if (record) {
      const protocolName = PROTOCOL_BY_CODE[protocol]!;
      const sources = SOURCES_BY_MASK[round > 1 ? sourceMask : 0]!;
      liquidations.push({
        round,
        market: markets.ids[m]!,
        account: positions.account[i]!,
        protocol: protocolName,
        healthFactor,
        repaid: repaidRecord ?? {},
        seized: seizedRecord ?? {},
        repaidUsd,
        seizedUsd,
        badDebtUsd,
        cause: round === 1 ? "shock" : "cascade",
        sources,
        crossProtocol: (sourceMask & ~protocolBit) !== 0,
      });
    }
  }

  return {
    liquidations: roundLiquidations,
    repaidUsd: roundRepaidUsd,
    soldUsd: roundSoldUsd,
    badDebtUsd: roundBadDebtUsd,
    positionsLiquidated,
  };
}
