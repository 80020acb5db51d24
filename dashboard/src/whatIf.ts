/** The what-if form: a shock per asset on the current book, run by `POST /api/simulate`. */
import { cascadeFlows } from "../../src/adapters/store/cascadeFlows.js";
import { ApiError, type DashboardView, simulate } from "./api.js";
import { byId, el, replaceChildren } from "./dom.js";
import { formatCount, formatUsd, shockText } from "./format.js";
import { renderCascade } from "./scenarios.js";

const TOKEN_KEY = "cascade-monitor.apiToken";

/** Keeps one input per asset of the book, preserving what the user typed. */
export function renderWhatIfInputs(view: DashboardView): void {
  const container = byId("what-if-shocks");
  const assets = [...new Set(view.book.exposures.map((e) => e.asset))].sort();
  const present = [...container.querySelectorAll<HTMLInputElement>("input")].map((i) => i.name);
  if (present.join() !== assets.map((a) => `shock.${a}`).join()) {
    const firstShock = view.scenarios[0]?.shock ?? {};
    container.replaceChildren(
      ...assets.map((a) => {
        const initial = firstShock[a];
        return el(
          "label",
          {},
          `${a} move %`,
          el("input", {
            type: "number",
            name: `shock.${a}`,
            step: "any",
            min: "-99",
            max: "100",
            placeholder: "0",
            ...(initial === undefined ? {} : { value: String(Math.round(initial * 10_000) / 100) }),
          }),
        );
      }),
    );
  }
  const tokenLabel = byId("what-if-token-label");
  tokenLabel.hidden = !view.simulateNeedsToken;
  const tokenInput = tokenLabel.querySelector("input");
  if (tokenInput !== null && tokenInput.value === "")
    tokenInput.value = sessionStorage.getItem(TOKEN_KEY) ?? "";
}

export function bindWhatIf(): void {
  const form = byId<HTMLFormElement>("what-if-form");
  const message = byId("what-if-message");
  const button = byId<HTMLButtonElement>("what-if-run");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const shock: Record<string, number> = {};
    for (const [name, raw] of data.entries()) {
      if (!name.startsWith("shock.") || typeof raw !== "string" || raw.trim() === "") continue;
      const pct = Number(raw);
      if (pct !== 0) shock[name.slice("shock.".length)] = pct / 100;
    }
    const maxRounds = Number(data.get("maxRounds") ?? 50);
    const token = String(data.get("token") ?? "");
    if (token !== "") sessionStorage.setItem(TOKEN_KEY, token);
    if (Object.keys(shock).length === 0) {
      message.className = "form-message error";
      message.textContent = "Enter a move for at least one asset.";
      return;
    }
    button.disabled = true;
    message.className = "form-message";
    message.textContent = `Running ${shockText(shock)}…`;
    simulate(shock, maxRounds, token)
      .then((report) => {
        message.textContent = "";
        const t = report.totals;
        const summary = el(
          "div",
          { class: "hint", id: "what-if-summary" },
          `${shockText(report.shock)}: `,
          el(
            "strong",
            { "data-field": "whatIf.liquidations", "data-value": String(t.liquidations) },
            `${formatCount(t.liquidations)} liquidations`,
          ),
          " repay ",
          el(
            "strong",
            { "data-field": "whatIf.repaidUsd", "data-value": String(t.repaidUsd) },
            formatUsd(t.repaidUsd),
          ),
          " in ",
          el(
            "strong",
            { "data-field": "whatIf.rounds", "data-value": String(report.rounds.length) },
            `${report.rounds.length} rounds`,
          ),
          ", bad debt ",
          el(
            "strong",
            { "data-field": "whatIf.badDebtUsd", "data-value": String(t.badDebtUsd) },
            formatUsd(t.badDebtUsd),
          ),
          ", stranded ",
          el(
            "strong",
            { "data-field": "whatIf.strandedDebtUsd", "data-value": String(t.strandedDebtUsd) },
            `${formatUsd(t.strandedDebtUsd)} in ${formatCount(t.stranded)} positions`,
          ),
          report.converged ? "." : " (still liquidating at the last round).",
        );
        replaceChildren(
          byId("what-if-result"),
          summary,
          el("div", { class: "table-wrap compact", id: "what-if-rounds" }),
          el("div", { class: "chart tall", id: "what-if-chart" }),
          el("div", { class: "chart", id: "what-if-prices" }),
        );
        // Drawn once the new boxes have their size.
        requestAnimationFrame(() =>
          renderCascade(
            cascadeFlows(report),
            { chart: "what-if-chart", rounds: "what-if-rounds", prices: "what-if-prices" },
            "",
          ),
        );
      })
      .catch((error: unknown) => {
        message.className = "form-message error";
        message.textContent =
          error instanceof ApiError && error.status === 401
            ? "The monitor needs its API token (server.bearerToken) for simulations."
            : error instanceof Error
              ? error.message
              : String(error);
      })
      .finally(() => {
        button.disabled = false;
      });
  });
}
