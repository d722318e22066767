// @ts-check
/**
 * The forecast card: "on track for $X today" with its 80% interval and how often that interval
 * held on the seller's own last days (GET /forecast), or why there is no forecast yet (under
 * 14 days of history). Never a figure the API did not give.
 */
import { byTestId } from "./dom.js";

const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 0 });

export function renderForecast(root, forecast, format) {
  const card = byTestId("forecast-card", root);
  const value = byTestId("forecast-expected", root);
  const interval = byTestId("forecast-interval", root);
  const backtest = byTestId("forecast-backtest", root);
  card.dataset.day = forecast.day;
  if (forecast.expected === null) {
    value.dataset.state = "none";
    value.textContent = "Not yet";
    interval.textContent = `${forecast.reason ?? "Not enough history yet"}. So far today: ${format.money(forecast.so_far.gmv)}.`;
    backtest.textContent = "";
    return;
  }
  value.dataset.state = "forecast";
  value.textContent = format.money(forecast.expected.gmv);
  value.setAttribute("aria-label", `On track for ${format.money(forecast.expected.gmv)} by midnight UTC`);
  interval.textContent =
    `80% likely: ${format.money(forecast.low.gmv)}–${format.money(forecast.high.gmv)} · ` +
    `${format.count(forecast.expected.orders)} orders · ${format.money(forecast.so_far.gmv)} so far`;
  const { days, coverage } = forecast.backtest;
  backtest.textContent =
    coverage === null
      ? "Its record builds up over the coming days."
      : `Held on ${percent.format(coverage)} of your last ${days} days at this hour.`;
}

export function forecastFailed(root, error) {
  const interval = byTestId("forecast-interval", root);
  if (byTestId("forecast-expected", root).textContent === "—")
    interval.textContent = `Could not load the forecast (${error.message}).`;
}
