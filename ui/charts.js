// Charts drawn in the app as inline SVG, built with DOM calls (nothing parsed, nothing remote).
// Every chart is an image with a name saying what it shows; the numbers it draws are also
// written as text on it or beside it. Colours come from styles.css through classes.

const NS = "http://www.w3.org/2000/svg";

/** Makes an SVG element: s("rect", { x: 0, class: "bar" }, child). */
export function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** The outer <svg>: its natural size in CSS pixels (it shrinks to fit), named for assistive technology. */
function chart(width, height, name, className, ...children) {
  return s(
    "svg",
    {
      class: `chart ${className}`,
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: "img",
      "aria-label": name,
      focusable: "false",
    },
    s("title", {}, name),
    children,
  );
}

/** A number as people read it: 1,234. */
const n = (value) => Number(value).toLocaleString("en-GB");

/** The marks of a count axis up to at least `max`: whole numbers, about four steps. */
function ticks(max) {
  const rough = Math.max(max, 1) / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((x) => x >= rough));
  const top = Math.max(step, Math.ceil(max / step) * step);
  const marks = [];
  for (let mark = 0; mark <= top; mark += step) marks.push(mark);
  return marks;
}

/** Splits a label into lines of about `width` characters, at spaces. */
function lines(label, width) {
  const out = [];
  for (const word of label.split(" ")) {
    const last = out.length - 1;
    if (last >= 0 && out[last].length + 1 + word.length <= width) out[last] += ` ${word}`;
    else out.push(word);
  }
  return out;
}

function multiline(label, x, y, width, className = "axis-label") {
  return s(
    "text",
    { x, y, class: className, "text-anchor": "middle" },
    lines(label, width).map((line, i) => s("tspan", { x, dy: i === 0 ? 0 : "1.15em" }, line)),
  );
}

/**
 * A horizontal bar for a share: how much of the whole `percent` is. `name` says it in words.
 * With nothing to count (`percent` null) only the track is drawn.
 */
export function shareBar(percent, name) {
  const width = percent === null ? 0 : Math.max(0, Math.min(100, percent));
  return s(
    "svg",
    { class: "share-bar", viewBox: "0 0 100 8", preserveAspectRatio: "none", role: "img", "aria-label": name, focusable: "false" },
    s("title", {}, name),
    s("rect", { class: "share-track", x: 0, y: 0, width: 100, height: 8 }),
    s("rect", { class: "share-fill", x: 0, y: 0, width, height: 8 }),
  );
}

/**
 * Vertical bars with their values written above them. `bars`: `[{ label, value, className }]`.
 * `marker`: `{ at, label }`, where `at` is a position along the bars (2 = the left edge of the
 * third bar, 2.5 its middle), drawn as a dashed line.
 */
export function barChart({ bars, name, marker = null }) {
  const width = 720;
  const height = 280;
  const left = 44;
  const right = 12;
  const top = 34;
  const bottom = 48;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const slot = plotWidth / bars.length;
  const barWidth = slot * 0.62;
  const marks = ticks(Math.max(...bars.map((b) => b.value)));
  const ceiling = marks[marks.length - 1];
  const y = (value) => top + plotHeight - (value / ceiling) * plotHeight;
  const grid = marks.map((value) =>
    s(
      "g",
      {},
      s("line", { class: "grid", x1: left, x2: width - right, y1: y(value), y2: y(value) }),
      s("text", { class: "axis-label", x: left - 6, y: y(value) + 4, "text-anchor": "end" }, n(value)),
    ),
  );
  const drawn = bars.map((bar, i) => {
    const x = left + i * slot + (slot - barWidth) / 2;
    const middle = x + barWidth / 2;
    return s(
      "g",
      {},
      s("rect", { class: `bar ${bar.className ?? ""}`, x, y: y(bar.value), width: barWidth, height: Math.max(0, top + plotHeight - y(bar.value)) }),
      s("text", { class: "value-label", x: middle, y: y(bar.value) - 6, "text-anchor": "middle" }, n(bar.value)),
      multiline(bar.label, middle, top + plotHeight + 18, 10),
    );
  });
  let line = null;
  if (marker) {
    const whole = Math.floor(marker.at);
    const part = marker.at - whole;
    // On a boundary the line sits in the gap between two bars; inside a bar, at its share of it.
    const x = part === 0 ? left + whole * slot : left + whole * slot + (slot - barWidth) / 2 + part * barWidth;
    line = s(
      "g",
      { class: "marker" },
      s("line", { x1: x, x2: x, y1: top - 8, y2: top + plotHeight }),
      s("text", { x: x + 4, y: top - 14, "text-anchor": "start" }, marker.label),
    );
  }
  return chart(width, height, name, "bar-chart", grid, drawn, line);
}

/**
 * Bars for two or more series side by side in each month. `months`: `[{ label, shaded }]`;
 * `series`: `[{ name, className, values }]`, one value per month.
 */
export function groupedBars({ months, series, name }) {
  const slot = 62;
  const left = 44;
  const right = 12;
  const top = 22;
  const bottom = 40;
  const plotHeight = 200;
  const width = left + months.length * slot + right;
  const height = top + plotHeight + bottom;
  const max = Math.max(0, ...series.flatMap((x) => x.values));
  const marks = ticks(max);
  const ceiling = marks[marks.length - 1];
  const y = (value) => top + plotHeight - (value / ceiling) * plotHeight;
  const barWidth = Math.min(24, (slot - 12) / series.length);
  const labelled = max < 1000;
  const shades = months.map((month, i) =>
    month.shaded ? s("rect", { class: "shade", x: left + i * slot, y: top - 16, width: slot, height: plotHeight + 16 }) : null,
  );
  const grid = marks.map((value) =>
    s(
      "g",
      {},
      s("line", { class: "grid", x1: left, x2: width - right, y1: y(value), y2: y(value) }),
      s("text", { class: "axis-label", x: left - 6, y: y(value) + 4, "text-anchor": "end" }, n(value)),
    ),
  );
  const groups = months.map((month, i) => {
    const start = left + i * slot + (slot - barWidth * series.length) / 2;
    const bars = series.map((x, k) => {
      const value = x.values[i];
      const bx = start + k * barWidth;
      return s(
        "g",
        {},
        s("rect", { class: `bar ${x.className}`, x: bx, y: y(value), width: barWidth - 1, height: Math.max(0, top + plotHeight - y(value)) }),
        labelled ? s("text", { class: "value-label small", x: bx + barWidth / 2, y: y(value) - 4, "text-anchor": "middle" }, n(value)) : null,
      );
    });
    return s("g", {}, bars, monthTick(month.label, left + i * slot + slot / 2, top + plotHeight + 16, i));
  });
  return chart(width, height, name, "trend-bars", shades, grid, groups);
}

/** "Nov", with the year under the first month and every January. */
function monthTick(label, x, y, index) {
  const [month, year] = label.split(" ");
  const showYear = index === 0 || month === "January";
  return s(
    "text",
    { class: "axis-label", x, y, "text-anchor": "middle" },
    s("tspan", { x, dy: 0 }, month.slice(0, 3)),
    showYear ? s("tspan", { x, dy: "1.15em" }, year) : null,
  );
}

/**
 * A percentage month by month: a line through each month's value, broken where a month had
 * nothing to count (null). The first and last values are written on it.
 */
export function percentLine({ months, values, name }) {
  const slot = 24;
  const left = 40;
  const right = 40;
  const top = 24;
  const bottom = 36;
  const plotHeight = 110;
  const width = Math.max(240, left + months.length * slot + right);
  const step = (width - left - right) / Math.max(1, months.length);
  const height = top + plotHeight + bottom;
  const x = (i) => left + i * step + step / 2;
  const y = (value) => top + plotHeight - (value / 100) * plotHeight;
  const shades = months.map((month, i) =>
    month.shaded ? s("rect", { class: "shade", x: left + i * step, y: top, width: step, height: plotHeight }) : null,
  );
  const grid = [0, 50, 100].map((value) =>
    s(
      "g",
      {},
      s("line", { class: "grid", x1: left, x2: width - right, y1: y(value), y2: y(value) }),
      s("text", { class: "axis-label", x: left - 6, y: y(value) + 4, "text-anchor": "end" }, `${value}%`),
    ),
  );
  let path = "";
  let pen = false;
  values.forEach((value, i) => {
    if (value === null) {
      pen = false;
      return;
    }
    path += `${pen ? "L" : "M"}${x(i).toFixed(1)} ${y(value).toFixed(1)} `;
    pen = true;
  });
  const dots = values.map((value, i) => (value === null ? null : s("circle", { class: "dot", cx: x(i), cy: y(value), r: 3 })));
  const known = values.map((value, i) => [value, i]).filter(([value]) => value !== null);
  const ends = [];
  if (known.length) {
    const [firstValue, first] = known[0];
    const [lastValue, last] = known[known.length - 1];
    ends.push(s("text", { class: "value-label small", x: x(first), y: y(firstValue) - 8, "text-anchor": "middle" }, `${firstValue}%`));
    if (last !== first) {
      ends.push(s("text", { class: "value-label small", x: x(last), y: y(lastValue) - 8, "text-anchor": "middle" }, `${lastValue}%`));
    }
  }
  const ticks = [0, months.length - 1]
    .filter((i, k, all) => all.indexOf(i) === k && i >= 0)
    .map((i) => s("text", { class: "axis-label", x: x(i), y: top + plotHeight + 18, "text-anchor": "middle" }, shortMonth(months[i].label)));
  return chart(
    width,
    height,
    name,
    "trend-line",
    shades,
    grid,
    s("path", { class: "line", d: path.trim() }),
    dots,
    ends,
    ticks,
  );
}

/** "Nov 2025". */
function shortMonth(label) {
  const [month, year] = label.split(" ");
  return `${month.slice(0, 3)} ${year}`;
}
