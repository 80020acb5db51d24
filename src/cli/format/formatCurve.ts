import type { LiquidationCurveDocument } from "../../app/runLiquidationCurve.js";
import { formatPercent, formatPrice, formatUsd } from "./formatNumbers.js";
import { renderTextTable } from "./renderTextTable.js";

const BAR_WIDTH = 30;

/** The curve as a table: shock, price, repaid in round 1, repaid in all rounds, their ratio, bad debt, a bar. */
export function formatCurve(curve: LiquidationCurveDocument, priceUsd: number): string[] {
  const max = Math.max(0, ...curve.points.map((p) => p.totalRepaidUsd));
  return [
    `Liquidation curve of ${curve.asset} (price ${formatPrice(priceUsd)}); repaid USD by shock`,
    ...renderTextTable(
      [
        { header: "shock", right: true },
        { header: "price", right: true },
        { header: "round 1", right: true },
        { header: "all rounds", right: true },
        { header: "x round 1", right: true },
        { header: "bad debt", right: true },
        { header: "" },
      ],
      curve.points.map((p) => [
        formatPercent(p.shock),
        formatPrice(priceUsd * (1 + p.shock)),
        formatUsd(p.directRepaidUsd),
        formatUsd(p.totalRepaidUsd),
        p.directRepaidUsd > 0 ? (p.totalRepaidUsd / p.directRepaidUsd).toFixed(2) : "",
        formatUsd(p.badDebtUsd),
        max > 0 ? "#".repeat(Math.round((p.totalRepaidUsd / max) * BAR_WIDTH)) : "",
      ]),
    ),
  ];
}
