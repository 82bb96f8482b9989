/* The static site's behaviour: generic over the page's embedded JSON (see briefing.site).
 *
 * A page carries <script type="application/json" id="briefing-page"> with its language, its
 * Vega-Lite specs (as the apps draw them) and the interface strings it needs; the facts of
 * the report (filter fields, table cells, the quote highlighted in its paragraph, rendered by
 * the same Python as the apps) come from assets/facts.<lang>.js. This script only filters,
 * sorts, searches and shows: every label and every piece of HTML is made in Python.
 *
 * State lives in the address's hash (#part=…&kind=…&view=table&fact=…&q=…), so a link keeps
 * the reader's place and the language toggle carries it to the other language.
 */
(function () {
  "use strict";
  var page = JSON.parse(document.getElementById("briefing-page").textContent);
  var FACTS = (window.BRIEFING_FACTS || {}).facts || {};
  var S = page.strings || {};
  var views = {};          // chart id -> vega view
  var state = readHash();

  function readHash() {
    var out = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      if (!pair) return;
      var i = pair.indexOf("=");
      if (i > 0) out[decodeURIComponent(pair.slice(0, i))] = decodeURIComponent(pair.slice(i + 1));
    });
    return out;
  }
  function writeHash() {
    var parts = [];
    Object.keys(state).sort().forEach(function (k) {
      if (state[k] !== "" && state[k] !== undefined && state[k] !== null) {
        parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(state[k]));
      }
    });
    var hash = parts.length ? "#" + parts.join("&") : "";
    history.replaceState(null, "", location.pathname + location.search + hash);
    updateLangLinks();
  }
  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) {
      return values[k] !== undefined ? values[k] : m;
    });
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  // ------------------------------------------------------------------ language toggle
  function updateLangLinks() {
    document.querySelectorAll("a[data-lang-link]").forEach(function (a) {
      var base = a.getAttribute("data-lang-link");
      a.setAttribute("href", base + location.hash);
    });
  }

  // ------------------------------------------------------------------ filters
  function filtersOf(scope) {
    var active = {};
    scope.querySelectorAll("select[data-filter]").forEach(function (sel) {
      if (sel.value) active[sel.getAttribute("data-filter")] = sel.value;
    });
    return active;
  }
  /* A row passes when every active filter matches the row's own field or, for rows that
   * carry a fact_id, the field of that fact. Rows without the field are kept. */
  function passes(row, active) {
    var fact = row.fact_id !== undefined ? FACTS[row.fact_id] : null;
    for (var key in active) {
      var value = row[key] !== undefined ? row[key] : (fact ? fact[key] : undefined);
      if (value !== undefined && String(value) !== active[key]) return false;
    }
    return true;
  }

  // ------------------------------------------------------------------ charts
  /* Walk a spec: filter every inline data table, scale fixed heights to the rows kept, and
   * fit fixed widths to the container (narrow screens get shorter axis labels). */
  function adapt(spec, active, width, shrink) {
    var kept = 0, fits = false;
    function walk(node, top) {
      if (!node || typeof node !== "object") return;
      if (Array.isArray(node)) { node.forEach(function (n) { walk(n, false); }); return; }
      if (node.data && Array.isArray(node.data.values)) {
        var before = node.data.values.length;
        node.data.values = node.data.values.filter(function (r) { return passes(r, active); });
        kept += node.data.values.length;
        if (typeof node.height === "number" && before > 0) {
          node.height = Math.max(30, Math.round(node.height * node.data.values.length / before));
        }
      }
      var composite = node.facet || node.hconcat || node.vconcat || node.concat || node.repeat;
      if (typeof node.width === "number") {
        if (top && !composite) { node.width = "container"; fits = true; }
        else if (node.width > width - 140 - shrink) node.width = Math.max(100, width - 140 - shrink);
      }
      if (node.columns && width < 640) node.columns = 1;
      if (node.hconcat && width < 640) { node.vconcat = node.hconcat; delete node.hconcat; }
      if (node.header && typeof node.header.labelLimit === "number") {
        node.header.labelLimit = Math.min(node.header.labelLimit, width - 40);
      }
      if (node.encoding && width < 640) {
        Object.keys(node.encoding).forEach(function (ch) {
          var legend = node.encoding[ch] && node.encoding[ch].legend;
          if (legend && typeof legend === "object") legend.columns = 1;
        });
      }
      ["x", "y"].forEach(function (ch) {
        var enc = node.encoding && node.encoding[ch];
        if (enc && enc.axis && enc.axis.labelLimit && width < 640) {
          enc.axis.labelLimit = Math.min(enc.axis.labelLimit, Math.round(width * 0.42));
        }
      });
      for (var key in node) {
        if (key !== "data" && key !== "config" && node[key] && typeof node[key] === "object") {
          walk(node[key], false);
        }
      }
      // A facet's header is centred over its panel: no longer than the panel.
      if (node.facet && node.facet.header && node.spec && typeof node.spec.width === "number") {
        node.facet.header.labelLimit = Math.min(node.facet.header.labelLimit || Infinity, node.spec.width);
      }
    }
    walk(spec, true);
    if (fits && !spec.autosize) spec.autosize = {type: "fit-x", contains: "padding"};
    return kept;
  }

  /* Charts are drawn when they come near the screen: a page opens with only the charts
   * in view to draw (on a phone, often none), and the others follow as the reader
   * scrolls. A box waiting for its turn carries data-pending. */
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      var box = entry.target;
      observer.unobserve(box);
      box.removeAttribute("data-pending");
      box.setAttribute("data-seen", "1");
      drawChart(box, box.closest("[data-scope]"));
    });
  }, {rootMargin: "300px 0px"}) : null;

  function requestChart(box, scope) {
    var id = box.getAttribute("data-chart");
    var probe = page.charts[id] ? JSON.parse(JSON.stringify(page.charts[id])) : null;
    var holder = box.closest("[data-chart-holder]") || box;
    holder.hidden = !probe || adapt(probe, scope ? filtersOf(scope) : {}, 800, 0) === 0;
    if (holder.hidden) return;
    if (!observer || box.hasAttribute("data-seen")) { drawChart(box, scope); return; }
    if (!box.hasAttribute("data-pending")) {
      box.setAttribute("data-pending", "1");
      observer.observe(box);
    }
  }

  function drawChart(box, scope, shrink, tries) {
    tries = tries || 0;
    box.removeAttribute("data-drawn");
    shrink = shrink || 0;
    var id = box.getAttribute("data-chart");
    var source = page.charts[id];
    if (!source || !window.vegaEmbed) return;
    var spec = JSON.parse(JSON.stringify(source));
    var width = Math.max(240, box.parentElement.clientWidth || 320);
    var kept = adapt(spec, scope ? filtersOf(scope) : {}, width, shrink);
    var holder = box.closest("[data-chart-holder]") || box;
    holder.hidden = kept === 0;
    if (views[id]) { views[id].finalize(); delete views[id]; }
    if (kept === 0) { box.innerHTML = ""; return; }
    window.vegaEmbed(box, spec, {
      actions: {export: true, source: false, compiled: false, editor: false},
      renderer: "svg", downloadFileName: id, i18n: page.embed_i18n || undefined
    }).then(function (result) {
      views[id] = result.view;
      nameMenu(box);
      // Wider than its box (labels beside the bars of fixed-width panels): draw it once more,
      // that much narrower.
      var svg = box.querySelector("svg");
      var over = svg ? svg.getBoundingClientRect().width - box.clientWidth : 0;
      if (over > 0.5 && tries < 3) { drawChart(box, scope, shrink + Math.ceil(over) + 4, tries + 1); return; }
      box.setAttribute("data-drawn", "1");
      result.view.addEventListener("click", function (event, item) {
        var datum = item && item.datum;
        if (datum && datum.datum) datum = datum.datum;
        if (!datum) return;
        if (datum.fact_id !== undefined) selectFact(String(datum.fact_id), true, box);
        else if (datum.term !== undefined && window.briefingSearch) window.briefingSearch(String(datum.term), "word");
      });
    }).catch(function (error) {
      box.textContent = S.chart_error || "";
      if (window.console) console.error(error);
    });
  }

  /* vega-embed's menu opens from a <summary> holding only an icon: name it by the menu's
   * title, hide the icon from screen readers, and let Escape close the menu. */
  function nameMenu(box) {
    var details = box.querySelector("details");
    var summary = details && details.querySelector("summary");
    if (!summary) return;
    summary.setAttribute("aria-label", details.getAttribute("title") || "");
    summary.querySelectorAll("svg").forEach(function (icon) {
      icon.setAttribute("aria-hidden", "true");
      icon.setAttribute("focusable", "false");
    });
    details.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && details.open) { details.open = false; summary.focus(); }
    });
  }

  // ------------------------------------------------------------------ facts: source, table
  /* Show a figure's quote in the source panel nearest to where it was chosen (its section's,
   * else the explorer's). */
  function selectFact(id, scroll, origin) {
    var fact = FACTS[id];
    var section = origin && origin.closest && origin.closest("section");
    var panel = (section && section.querySelector("[data-source-panel]")) ||
      document.querySelector("#explore [data-source-panel]") || document.querySelector("[data-source-panel]");
    if (!fact || !panel) return;
    document.querySelectorAll("[data-source-panel]").forEach(function (p) { if (p !== panel) p.hidden = true; });
    panel.innerHTML = fact.source;
    panel.hidden = false;
    state.fact = id;
    var picker = document.querySelector("select[data-fact-picker]");
    if (picker) picker.value = id;
    document.querySelectorAll("[data-fact-id].selected").forEach(function (el) { el.classList.remove("selected"); });
    document.querySelectorAll("[data-fact-id='" + id + "']").forEach(function (el) { el.classList.add("selected"); });
    writeHash();
    if (scroll) panel.scrollIntoView({block: "nearest", behavior: "smooth"});
  }

  var sortKey = "part", ascending = true;
  function drawTable(scope) {
    var table = scope.querySelector("[data-fact-table]");
    if (!table) return;
    var ids = page.fact_ids.filter(function (id) { return passes({fact_id: id}, filtersOf(scope)); });
    var col = page.table_columns.indexOf(sortKey);
    ids.sort(function (a, b) {
      var x = FACTS[a].sort[col], y = FACTS[b].sort[col];
      var c = x < y ? -1 : x > y ? 1 : (a < b ? -1 : a > b ? 1 : 0);
      return ascending ? c : -c;
    });
    var head = page.table_columns.map(function (key, i) {
      var arrow = key === sortKey ? (ascending ? " ▲" : " ▼") : "";
      var sorted = key === sortKey ? (ascending ? "ascending" : "descending") : "none";
      return "<th scope='col' aria-sort='" + sorted + "'><button type='button' data-sort='" + key + "'>" +
        esc(page.table_headings[i]) + arrow + "</button></th>";
    }).join("");
    var rows = ids.map(function (id) {
      var cells = FACTS[id].cells;
      return "<tr data-fact-id='" + esc(id) + "' tabindex='0'><th scope='row'>" + esc(cells[0]) + "</th>" +
        cells.slice(1).map(function (c) { return "<td>" + esc(c) + "</td>"; }).join("") + "</tr>";
    }).join("");
    table.innerHTML = "<thead><tr>" + head + "</tr></thead><tbody>" + rows + "</tbody>";
    var count = scope.querySelector("[data-row-count]");
    if (count) count.textContent = fmt(S.rows_shown || "{n}", {n: ids.length});
    var empty = scope.querySelector("[data-empty]");
    if (empty) empty.hidden = ids.length > 0;
    var picker = scope.querySelector("select[data-fact-picker]");
    if (picker) {
      picker.querySelectorAll("option[value]").forEach(function (o) {
        if (o.value) o.hidden = ids.indexOf(o.value) < 0;
      });
    }
    scope.currentIds = ids;
  }

  function downloadCsv(scope) {
    var ids = scope.currentIds || page.fact_ids;
    var lines = [(window.BRIEFING_FACTS || {}).csv_columns || []].concat(ids.map(function (id) { return FACTS[id].csv; }));
    var text = "\ufeff" + lines.map(function (row) {
      return row.map(function (v) {
        v = v === null || v === undefined ? "" : String(v);
        return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
      }).join(",");
    }).join("\r\n") + "\r\n";
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], {type: "text/csv;charset=utf-8"}));
    a.download = page.csv_name || "facts.csv";
    document.body.appendChild(a); a.click(); a.remove();
  }

  // ------------------------------------------------------------------ scopes
  function applyScope(scope) {
    var active = filtersOf(scope);
    scope.querySelectorAll("[data-item]").forEach(function (el) {
      el.hidden = !passes(el.dataset, active);
    });
    scope.querySelectorAll("[data-fact-filtered] [data-fact-id]").forEach(function (el) {
      el.hidden = !passes({fact_id: el.getAttribute("data-fact-id")}, active);
    });
    scope.querySelectorAll("[data-group]").forEach(function (group) {
      var items = group.querySelectorAll("[data-item]");
      if (items.length) group.hidden = Array.prototype.every.call(items, function (el) { return el.hidden; });
    });
    var view = state.view === "table" ? "table" : "chart";
    scope.querySelectorAll("[data-view-panel]").forEach(function (panel) {
      panel.hidden = panel.getAttribute("data-view-panel") !== view;
    });
    scope.querySelectorAll("input[data-view]").forEach(function (radio) { radio.checked = radio.value === view; });
    drawTable(scope);
    if (view === "chart" || !scope.querySelector("[data-view-panel]")) {
      scope.querySelectorAll("[data-chart]").forEach(function (box) { requestChart(box, scope); });
    }
  }

  function wireScope(scope) {
    var prefix = scope.getAttribute("data-scope") === "explore" ? "" : scope.getAttribute("data-scope") + ".";
    scope.querySelectorAll("select[data-filter]").forEach(function (sel) {
      var key = prefix + sel.getAttribute("data-filter");
      if (state[key] !== undefined && sel.querySelector("option[value='" + CSS.escape(state[key]) + "']")) sel.value = state[key];
      sel.addEventListener("change", function () { state[key] = sel.value; writeHash(); applyScope(scope); });
    });
    scope.querySelectorAll("input[data-view]").forEach(function (radio) {
      radio.addEventListener("change", function () { state.view = radio.value === "table" ? "table" : ""; writeHash(); applyScope(scope); });
    });
    scope.addEventListener("click", function (event) {
      var sort = event.target.closest("button[data-sort]");
      if (sort) {
        var key = sort.getAttribute("data-sort");
        if (key === sortKey) ascending = !ascending; else { sortKey = key; ascending = true; }
        drawTable(scope);
        return;
      }
      if (event.target.closest("[data-csv]")) { downloadCsv(scope); return; }
    });
  }

  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-fact-id]");
    if (el && !event.target.closest("a") && FACTS[el.getAttribute("data-fact-id")]) selectFact(el.getAttribute("data-fact-id"), true, el);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    // Table rows and focusable cards answer Enter and Space (buttons and links do by themselves).
    var el = event.target.closest && event.target.closest("tr[data-fact-id], [data-fact-id][tabindex]");
    if (el && /^(BUTTON|A)$/.test(el.tagName)) return;
    if (el) { event.preventDefault(); selectFact(el.getAttribute("data-fact-id"), true, el); }
  });
  document.querySelectorAll("select[data-fact-picker]").forEach(function (picker) {
    picker.addEventListener("change", function () { if (picker.value) selectFact(picker.value, false); });
  });

  var scopes = document.querySelectorAll("[data-scope]");
  scopes.forEach(wireScope);
  scopes.forEach(applyScope);
  // Charts outside any filtered scope.
  document.querySelectorAll("[data-chart]").forEach(function (box) {
    if (!box.closest("[data-scope]")) requestChart(box, null);
  });
  if (state.fact && FACTS[state.fact]) selectFact(state.fact, false);
  updateLangLinks();

  var lastWidth = window.innerWidth, timer = null;
  window.addEventListener("resize", function () {
    if (Math.abs(window.innerWidth - lastWidth) < 40) return;
    lastWidth = window.innerWidth;
    clearTimeout(timer);
    timer = setTimeout(function () { scopes.forEach(applyScope); }, 200);
  });

  window.briefing = {state: state, writeHash: writeHash, selectFact: selectFact, fmt: fmt, esc: esc,
    strings: S, page: page, facts: FACTS, redraw: function () { scopes.forEach(applyScope); }};
  document.documentElement.setAttribute("data-ready", "1");
})();
