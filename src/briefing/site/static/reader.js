/* The report reader's search on the static site, over the paragraphs embedded in the page.
 *
 * Phrase: the exact characters (letters in any case). Word: whole words as the segmenter
 * cut the report at export (a query of several words: paragraphs holding all of them).
 * A query with Latin letters and no Chinese is also looked for in the English names of the
 * figures; when nothing matches, the reader is told that the report is in Chinese.
 * Hits are marked in the report itself (<mark class="hit">) and listed with their context.
 */
(function () {
  "use strict";
  var B = window.briefing, S = B.strings, page = B.page, FACTS = B.facts;
  var paragraphs = page.paragraphs || [], byId = {};
  paragraphs.forEach(function (p) { byId[p.id] = p; });
  var form = document.querySelector("form[data-search]");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var summary = document.querySelector("[data-summary]");
  var list = document.querySelector("[data-hits]");
  var CJK = /[\u3400-\u9fff]/, LATIN = /[A-Za-z]/;

  function count(n, one, many) { return B.fmt(S[n === 1 ? one : many], {n: n}); }
  function phraseSpans(text, q) {
    var spans = [], hay = text.toLowerCase(), needle = q.toLowerCase(), i = 0;
    if (!needle) return spans;
    while ((i = hay.indexOf(needle, i)) >= 0) { spans.push([i, i + needle.length]); i += needle.length; }
    return spans;
  }
  function wordSpans(p, words) {
    var spans = [], at = 0, found = {};
    p.words.forEach(function (w) {
      if (words.indexOf(w) >= 0) { spans.push([at, at + w.length]); found[w] = 1; }
      at += w.length;
    });
    return words.every(function (w) { return found[w]; }) ? spans : [];
  }
  function search(q, mode) {
    var words = q.split(/\s+/).filter(Boolean);
    var hits = [];
    paragraphs.forEach(function (p) {
      var spans = mode === "word" ? wordSpans(p, words) : phraseSpans(p.text, q);
      if (spans.length) hits.push({p: p, spans: spans});
    });
    return hits;
  }
  function englishFacts(q) {
    var words = q.toLowerCase().split(/\s+/).filter(Boolean);
    return Object.keys(FACTS).filter(function (id) {
      var name = String(FACTS[id].en || "").toLowerCase();
      return words.every(function (w) { return new RegExp("\\b" + w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).test(name); });
    });
  }

  /* Wrap character ranges of an element's text in <mark class="hit">, across text nodes. */
  function markRanges(el, ranges) {
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), nodes = [], pos = 0, node;
    while ((node = walker.nextNode())) {
      if (node.parentElement.closest(".pid, details")) continue;
      nodes.push({node: node, start: pos, end: pos + node.data.length}); pos += node.data.length;
    }
    ranges.slice().reverse().forEach(function (r) {
      nodes.slice().reverse().forEach(function (n) {
        var a = Math.max(r[0], n.start), b = Math.min(r[1], n.end);
        if (a >= b) return;
        var range = document.createRange();
        range.setStart(n.node, a - n.start); range.setEnd(n.node, b - n.start);
        var mark = document.createElement("mark"); mark.className = "hit";
        range.surroundContents(mark);
      });
    });
  }
  function clearMarks() {
    document.querySelectorAll("mark.hit").forEach(function (m) {
      var parent = m.parentNode; parent.replaceChild(document.createTextNode(m.textContent), m); parent.normalize();
    });
    document.querySelectorAll(".hit-para").forEach(function (el) { el.classList.remove("hit-para"); });
  }
  function paragraphBody(id) {
    var el = document.getElementById("para-" + id);
    return el ? (el.querySelector("p") || el) : null;
  }
  function snippet(text, spans) {
    var a = Math.max(0, spans[0][0] - 30), b = Math.min(text.length, spans[0][1] + 30), out = "", at = a;
    spans.forEach(function (s) {
      if (s[0] < a || s[1] > b) return;
      out += B.esc(text.slice(at, s[0])) + "<mark>" + B.esc(text.slice(s[0], s[1])) + "</mark>"; at = s[1];
    });
    return (a > 0 ? "…" : "") + out + B.esc(text.slice(at, b)) + (b < text.length ? "…" : "");
  }

  function run(query, mode, keepScroll) {
    var q = (query || "").trim();
    clearMarks();
    list.innerHTML = "";
    B.state.q = q; B.state.mode = mode === "word" ? "word" : ""; B.writeHash();
    if (!q) { summary.innerHTML = ""; return; }
    var hits = search(q, mode);
    var english = LATIN.test(q) && !CJK.test(q) ? englishFacts(q) : [];
    var lines = [];
    if (hits.length) {
      var total = 0, sections = {};
      hits.forEach(function (h) { total += h.spans.length; sections[h.p.section] = 1; });
      lines.push(B.esc(B.fmt(S.summary, {q: q, n: count(total, "time", "times"),
        p: count(hits.length, "paragraph_n", "paragraphs_n"), s: count(Object.keys(sections).length, "section_n", "sections_n")})));
    } else if (!english.length) {
      var phrase = mode === "word" ? search(q, "phrase") : [];
      var n = 0; phrase.forEach(function (h) { n += h.spans.length; });
      if (LATIN.test(q) && !CJK.test(q)) lines.push(B.esc(B.fmt(S.en_none, {q: q})));
      else if (n) lines.push(B.esc(B.fmt(S.no_word_hits, {q: q, n: count(n, "match", "matches")})));
      else lines.push(B.esc(B.fmt(S.no_hits, {q: q})));
    }
    hits.forEach(function (h) {
      var body = paragraphBody(h.p.id);
      if (body) { markRanges(body, h.spans); body.parentElement.classList.add("hit-para"); }
      var li = document.createElement("li");
      li.className = h.p.part;
      li.innerHTML = "<div class='where'>" + B.esc((page.parts[h.p.part] || "") + " · " + (page.sections[h.p.section] || "")) +
        " · " + B.esc(count(h.spans.length, "match", "matches")) + "</div><div>" + snippet(h.p.text, h.spans) +
        "</div><a href='#para-" + B.esc(h.p.id) + "' data-goto='" + B.esc(h.p.id) + "'>" + B.esc(S.go_to) + " ¶" + B.esc(h.p.id) + "</a>";
      list.appendChild(li);
    });
    if (english.length) {
      lines.push(B.esc(B.fmt(S.en_hits, {q: q, n: english.length})));
      english.forEach(function (id) {
        var f = FACTS[id], body = paragraphBody(f.paragraph_id);
        var para = byId[f.paragraph_id], start = para ? para.text.indexOf(f.quote) : -1;
        if (body && start >= 0) { markRanges(body, [[start, start + f.quote.length]]); body.parentElement.classList.add("hit-para"); }
        var li = document.createElement("li");
        li.className = f.part;
        li.setAttribute("data-fact-id", id);
        li.innerHTML = "<div class='where'>" + B.esc(f.cells[0] + " · " + f.cells[1]) + "</div><div lang='zh-CN'><mark>" +
          B.esc(f.quote) + "</mark></div><a href='#para-" + B.esc(f.paragraph_id) + "' data-goto='" + B.esc(f.paragraph_id) + "'>" +
          B.esc(S.go_to) + " ¶" + B.esc(f.paragraph_id) + "</a>";
        list.appendChild(li);
      });
    }
    summary.innerHTML = "<div>" + lines.join("</div><div>") + "</div>";
  }

  function mode() { var m = form.querySelector("input[data-mode]:checked"); return m ? m.value : "phrase"; }
  function setMode(value) {
    form.querySelectorAll("input[data-mode]").forEach(function (r) { r.checked = r.value === value; });
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); run(input.value, mode()); });
  form.querySelectorAll("input[data-mode]").forEach(function (r) {
    r.addEventListener("change", function () { if (input.value.trim()) run(input.value, mode()); });
  });
  document.querySelectorAll("button[data-query]").forEach(function (b) {
    b.addEventListener("click", function () { input.value = b.getAttribute("data-query"); setMode("phrase"); run(input.value, "phrase"); });
  });
  var picker = document.querySelector("select[data-term-picker]");
  if (picker) picker.addEventListener("change", function () {
    if (picker.value) { input.value = picker.value; setMode("word"); run(picker.value, "word"); }
  });
  document.addEventListener("click", function (event) {
    var go = event.target.closest("a[data-goto]");
    if (!go) return;
    event.preventDefault();
    var el = document.getElementById("para-" + go.getAttribute("data-goto"));
    if (el) { el.scrollIntoView({block: "center"}); el.classList.add("hit-para"); }
  });
  window.briefingSearch = function (q, m) {
    input.value = q; setMode(m === "word" ? "word" : "phrase"); run(q, m);
    form.scrollIntoView({block: "start"});
  };
  if (B.state.q) { input.value = B.state.q; setMode(B.state.mode === "word" ? "word" : "phrase"); run(B.state.q, mode()); }
})();
