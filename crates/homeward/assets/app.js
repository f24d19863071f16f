// Homeward coordinator dashboard: fetches /api/stats (the merged tables that `homeward stats`
// prints) and draws charts beside tables. No external assets; works offline.
"use strict";

const NS = "http://www.w3.org/2000/svg";
const TITLES = {
  links_by_country_pair: "Cross-border links by country pair",
  links_by_kind_and_status: "Cross-border links by kind and review status",
  persons_by_node: "Records held by node",
  persons_by_case_status: "Persons by case status",
  persons_by_sex_and_age: "Persons by sex and age band",
  persons_by_nationality: "Persons by nationality",
  services_by_type: "Services by type",
  services_by_provider_kind: "Services by provider kind",
  services_by_status: "Services by status",
  assessment_scores_by_round: "Reintegration scores by assessment round (mean, 0–1)",
  monthly_counts: "Monthly enrolments, links and closures",
};

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

// The figure a cell shows: its count, or its mean in tables of means.
function shown(table, cell) {
  return table.means ? cell.mean : cell.value;
}

// A withheld cell as text: what the other nodes published, and who withheld it. A node withholds
// counts from 1 to k-1 and the complements that would let them be recovered, so a merged cell
// withheld somewhere is not "fewer than k": the others' part is a lower bound.
function withheldText(cell, means) {
  const by = "withheld by " + (cell.withheld_by || []).join(" ");
  if (means) {
    const others = cell.others;
    return others && others.value > 0 ? by + "; others " + others.mean.toFixed(3) + " (n=" + others.value + ")" : by;
  }
  // As `homeward stats` prints it.
  return cell.at_least > 0 ? "≥" + cell.at_least + " (" + by + ")" : by;
}

// A table cell that carries its figure for tests and screen readers.
function figure(tableName, labels, cell, means) {
  const td = el("td", { "data-table": tableName, "data-labels": labels.join("|") });
  if (cell.suppressed) {
    td.className = "suppressed";
    td.setAttribute("data-value", "suppressed");
    td.title = "withheld where it is fewer than k, or where it would let such a count be recovered from a total";
    td.textContent = withheldText(cell, means);
  } else {
    const value = means ? cell.mean : cell.value;
    td.setAttribute("data-value", String(value));
    td.textContent = means ? value.toFixed(3) + " (n=" + cell.value + ")" : String(value);
  }
  return td;
}

function plainTable(name, table) {
  const t = el("table", { class: "figures" });
  const head = el("tr");
  for (const d of table.dimensions) head.append(el("th", { class: "label" }, d.replace(/_/g, " ")));
  head.append(el("th", {}, table.means ? "mean" : "count"));
  t.append(head);
  for (const cell of table.cells) {
    const row = el("tr");
    for (const l of cell.labels) row.append(el("td", { class: "label" }, l));
    row.append(figure(name, cell.labels, cell, table.means));
    t.append(row);
  }
  return t;
}

function barChart(table) {
  const cells = table.cells;
  const max = table.means ? 1 : Math.max(1, ...cells.map(c => c.suppressed ? (c.at_least || 0) : c.value));
  // The label column is as wide as the longest label (about 6.5 px a character at this size).
  const longest = Math.max(0, ...cells.map(c => c.labels.join(" · ").length));
  const rowH = 22, labelW = Math.min(280, Math.max(120, 12 + Math.ceil(longest * 6.5))), width = labelW + 270;
  const height = cells.length * rowH + 6;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img" });
  chart.style.maxWidth = width + "px";
  cells.forEach((cell, i) => {
    const y = i * rowH + 3;
    const label = svg("text", { x: labelW - 6, y: y + 15, "text-anchor": "end" });
    label.textContent = cell.labels.join(" · ");
    chart.append(label);
    if (cell.suppressed) {
      // The other nodes' part, if any, as a pale bar: the figure is at least that.
      let w = 0;
      if (!table.means && cell.at_least > 0) {
        w = Math.max(1, (width - labelW - 60) * cell.at_least / max);
        chart.append(svg("rect", { x: labelW, y, width: w, height: rowH - 6, fill: "#e3a08c", rx: 2 }));
      }
      const t = svg("text", { x: labelW + w + 4, y: y + 15, fill: "#8a2c16" });
      t.textContent = withheldText(cell, table.means);
      chart.append(t);
    } else {
      const value = shown(table, cell);
      const w = Math.max(1, (width - labelW - 60) * value / max);
      chart.append(svg("rect", { x: labelW, y, width: w, height: rowH - 6, fill: "#1f6f8b", rx: 2 }));
      const t = svg("text", { x: labelW + w + 4, y: y + 15 });
      t.textContent = table.means ? value.toFixed(2) : String(value);
      chart.append(t);
    }
  });
  return chart;
}

function lineChart(table) {
  // Monthly series: the dimension named "month" is the x axis, the others name the series.
  const monthAt = table.dimensions.indexOf("month");
  const series = new Map();
  const months = new Set();
  for (const cell of table.cells) {
    const month = cell.labels[monthAt];
    const key = cell.labels.filter((_, i) => i !== monthAt).join(" · ") || "count";
    months.add(month);
    if (!series.has(key)) series.set(key, new Map());
    series.get(key).set(month, cell);
  }
  const xs = [...months].sort();
  // A single month is no trend: show its counts as bars.
  if (xs.length <= 1) return barChart(table);
  const max = Math.max(1, ...table.cells.filter(c => !c.suppressed).map(c => c.value));
  const width = 460, height = 200, left = 40, bottom = 30;
  const chart = svg("svg", { width, height, role: "img" });
  const x = i => left + (xs.length <= 1 ? 0 : i * (width - left - 10) / (xs.length - 1));
  const y = v => height - bottom - v * (height - bottom - 10) / max;
  chart.append(svg("line", { x1: left, y1: height - bottom, x2: width - 10, y2: height - bottom, stroke: "#999" }));
  const colours = ["#1f6f8b", "#c2672b", "#4b8a3c", "#7a4b9a"];
  [...series.entries()].forEach(([name, points], s) => {
    let d = "";
    xs.forEach((m, i) => {
      const cell = points.get(m);
      if (cell && !cell.suppressed) {
        d += (d ? " L" : "M") + x(i) + " " + y(cell.value);
        chart.append(svg("circle", { cx: x(i), cy: y(cell.value), r: 3, fill: colours[s % colours.length] }));
      }
      if (cell && cell.suppressed) chart.append(svg("circle", { cx: x(i), cy: height - bottom, r: 3, fill: "#e3a08c" }));
    });
    if (d) chart.append(svg("path", { d, fill: "none", stroke: colours[s % colours.length], "stroke-width": 2 }));
    const legend = svg("text", { x: left + 6, y: 14 + s * 14, fill: colours[s % colours.length] });
    legend.textContent = name;
    chart.append(legend);
  });
  xs.forEach((m, i) => {
    if (xs.length > 8 && i % Math.ceil(xs.length / 8) !== 0) return;
    const t = svg("text", { x: x(i), y: height - 10, "text-anchor": "middle" });
    t.textContent = m;
    chart.append(t);
  });
  return chart;
}

function linkMatrix(name, table) {
  // One matrix per link kind and status; each link is counted once, under the pair (a, b)
  // with a < b.
  const wrap = el("div", { class: "pair" });
  const groupOf = c => c.labels.slice(2).join(" · ");
  const kinds = [...new Set(table.cells.map(groupOf))].sort().reverse();
  const countries = [...new Set(table.cells.flatMap(c => [c.labels[0], c.labels[1]]))].sort();
  for (const kind of kinds) {
    const cells = table.cells.filter(c => groupOf(c) === kind);
    const max = Math.max(1, ...cells.filter(c => !c.suppressed).map(c => c.value));
    const t = el("table", { class: "matrix" });
    const head = el("tr", {}, el("th", { class: "label" }, kind.replace(/_/g, " ")));
    for (const c of countries) head.append(el("th", {}, c));
    t.append(head);
    for (const a of countries) {
      const row = el("tr", {}, el("th", { class: "label" }, a));
      for (const b of countries) {
        const cell = cells.find(c => (c.labels[0] === a && c.labels[1] === b));
        if (!cell) {
          row.append(el("td", { class: "note" }, a === b ? "—" : ""));
          continue;
        }
        const td = figure(name, cell.labels, cell);
        if (!cell.suppressed) {
          const shade = 0.12 + 0.6 * cell.value / max;
          td.style.background = `rgba(31, 111, 139, ${shade.toFixed(2)})`;
          if (shade > 0.45) td.style.color = "#fff";
        }
        row.append(td);
      }
      t.append(row);
    }
    wrap.append(t);
  }
  return wrap;
}

function render(stats) {
  const status = document.getElementById("status");
  const answered = stats.nodes_answered.join(", ") || "none";
  if (stats.partial) {
    status.className = "status partial";
    status.setAttribute("data-partial", "true");
    status.textContent = "Partial figures — no answer from " +
      stats.nodes_missing.map(m => m.country).join(", ") + ". Answered: " + answered + ".";
  } else {
    status.setAttribute("data-partial", "false");
    status.textContent = "All nodes answered: " + answered + ".";
  }
  const main = document.getElementById("tables");
  main.replaceChildren();
  for (const [name, table] of Object.entries(stats.tables)) {
    const section = el("section", { "data-table-name": name });
    section.append(el("h2", {}, TITLES[name] || name.replace(/_/g, " ")));
    if (name === "links_by_country_pair") {
      section.className = "wide";
      section.append(linkMatrix(name, table));
    } else if (table.dimensions.includes("month")) {
      section.className = "wide";
      section.append(el("div", { class: "pair" }, lineChart(table), plainTable(name, table)));
    } else {
      section.append(el("div", { class: "pair" }, barChart(table), plainTable(name, table)));
    }
    main.append(section);
  }
  document.getElementById("asof").textContent = new Date().toISOString().replace("T", " ").slice(0, 19) + " UTC";
  document.body.setAttribute("data-ready", "true");
}

fetch("/api/stats")
  .then(r => r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status)))
  .then(render)
  .catch(e => {
    const status = document.getElementById("status");
    status.className = "status partial";
    status.textContent = "Could not load figures: " + e.message;
  });
