(function () {
  "use strict";
  // The data block: articles [id, source, date, url, length, share, reused, text], passages
  // [a, a_start, a_end, b, b_start, b_end, score, kind, sentence_pairs, quoted] (a, b: article
  // indices; offsets in code points), pairs [a, b, [passage indices]] ranked as in the table;
  // in a check report, checked [article, passed, counted, reported, [budgets broken]].
  const root = document.documentElement;
  const data = JSON.parse(document.getElementById("dedup-data").textContent);
  const KINDS = data.kinds;
  const ARTS = data.articles;
  const PS = data.passages;
  const PAIRS = data.pairs;
  const STEP = data.rows;
  const VERDICTS = new Map((data.checked || []).map((v) => [v[0], v]));
  const IS_CHECK = "checked" in data;
  const state = {
    kinds: KINDS.map(() => true),
    minLen: 0,
    sort: "top",
    desc: true,
    pairLimit: STEP,
    articleLimit: STEP,
    view: null,
    pending: null,
  };
  let pairsOf = null; // article index -> pair indices, made when an article view first opens

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [key, value] of Object.entries(attrs)) {
        if (value !== null && value !== undefined) node.setAttribute(key, value);
      }
    }
    for (const child of children || []) {
      node.append(child); // strings become text nodes: nothing is ever parsed as HTML
    }
    return node;
  }

  // Halves round up, as in the Python that renders the first rows.
  const percent = (share) => (share * 100).toFixed(1) + "%";
  const plural = (n, word) => n + " " + word + (n === 1 ? "" : "s");

  function keep(p) {
    return state.kinds[p[7]] && Math.min(p[2] - p[1], p[5] - p[4]) >= state.minLen;
  }

  function union(spans) {
    spans.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let total = 0;
    let reach = -1;
    for (const [start, end] of spans) {
      if (end > reach) {
        total += end - Math.max(start, reach);
        reach = end;
      }
    }
    return total;
  }

  function share(spans, article) {
    const length = ARTS[article][4];
    return length ? union(spans) / length : 0;
  }

  // -- the pair table -----------------------------------------------------------------------

  function pairRow(k) {
    const [a, b, members] = PAIRS[k];
    const kept = members.filter((i) => keep(PS[i]));
    if (!kept.length) return null;
    const aSpans = kept.map((i) => [PS[i][1], PS[i][2]]);
    const bSpans = kept.map((i) => [PS[i][4], PS[i][5]]);
    let aShare;
    let bShare;
    if (a === b) {
      aShare = bShare = share(aSpans.concat(bSpans), a);
    } else {
      aShare = share(aSpans, a);
      bShare = share(bSpans, b);
    }
    const counts = KINDS.map((_, kind) => kept.filter((i) => PS[i][7] === kind).length);
    return { k, a, b, n: kept.length, aShare, bShare, counts, top: Math.max(aShare, bShare) };
  }

  function sortValue(row, key) {
    switch (key) {
      case "a": return ARTS[row.a][0];
      case "b": return row.a === row.b ? "" : ARTS[row.b][0];
      case "n": return row.n;
      case "acov": return row.aShare;
      case "bcov": return row.bShare;
      case "top": return row.top;
      default: return row.counts[Number(key.slice(1))];
    }
  }

  function compareRows(x, y) {
    const vx = sortValue(x, state.sort);
    const vy = sortValue(y, state.sort);
    let order = 0;
    if (typeof vx === "string") order = vx.localeCompare(vy);
    else order = vx - vy;
    if (state.desc) order = -order;
    return order || x.k - y.k;
  }

  function pairLink(k, content) {
    return el("a", { href: "#pair=" + k }, [content]);
  }

  function renderPairs() {
    const rows = [];
    for (let k = 0; k < PAIRS.length; k++) {
      const row = pairRow(k);
      if (row) rows.push(row);
    }
    rows.sort(compareRows);
    const body = $("pair-table").tBodies[0];
    const shown = rows.slice(0, state.pairLimit).map((row) => {
      const within = row.a === row.b;
      const cells = [
        el("td", null, [pairLink(row.k, ARTS[row.a][0])]),
        el("td", null, [pairLink(row.k, within ? el("em", null, ["inside A"]) : ARTS[row.b][0])]),
        el("td", { class: "num" }, [String(row.n)]),
        el("td", { class: "num" }, [percent(row.aShare)]),
        el("td", { class: "num" }, [within ? "\u2014" : percent(row.bShare)]),
      ].concat(row.counts.map((c) => el("td", { class: "num" }, [String(c)])));
      return el("tr", { "data-pair": row.k }, cells);
    });
    body.replaceChildren(...shown);
    $("pair-status").textContent = rows.length
      ? "Showing " + shown.length + " of " + plural(rows.length, "pair") + "."
      : "No pair has passages that pass the filters.";
    $("pair-more").hidden = shown.length >= rows.length;
    for (const th of $("pair-table").tHead.rows[0].cells) {
      const key = th.querySelector("button").dataset.sort;
      th.setAttribute("aria-sort", key === state.sort ? (state.desc ? "descending" : "ascending") : "none");
    }
  }

  // -- the article ranking ------------------------------------------------------------------

  function partners() {
    if (!pairsOf) {
      pairsOf = ARTS.map(() => []);
      PAIRS.forEach(([a, b], k) => {
        pairsOf[a].push(k);
        if (b !== a) pairsOf[b].push(k);
      });
    }
    return pairsOf;
  }

  // In a check report, a badge says whether an article was checked or comes from the index.
  function badge(n) {
    if (!IS_CHECK) return [];
    const checked = VERDICTS.has(n);
    return [" ", el("span", { class: checked ? "badge badge-checked" : "badge badge-index" },
      [checked ? "checked" : "from the index"])];
  }

  function renderArticles() {
    const order = ARTS.map((_, n) => n).sort((x, y) => ARTS[y][5] - ARTS[x][5] || x - y);
    // A check report lists the checked articles first, each group in a <tbody> of its own.
    const groups = IS_CHECK
      ? [order.filter((n) => VERDICTS.has(n)), order.filter((n) => !VERDICTS.has(n))]
      : [order];
    let left = state.articleLimit;
    let shown = 0;
    groups.forEach((members, g) => {
      const rows = members.slice(0, left).map(articleRow);
      left -= rows.length;
      shown += rows.length;
      const body = $("article-table").tBodies[g];
      body.replaceChildren(...(IS_CHECK ? [body.rows[0]] : []), ...rows);
    });
    $("article-status").textContent = "Showing " + shown + " of " + plural(ARTS.length, "article") + ".";
    $("article-more").hidden = shown >= ARTS.length;
  }

  function articleRow(n, rank) {
    const [id, source, date, , length, articleShare, reused] = ARTS[n];
    const byArticle = partners();
    const others = new Set(byArticle[n].map((k) => (PAIRS[k][0] === n ? PAIRS[k][1] : PAIRS[k][0])));
    others.delete(n);
    const fill = el("span");
    fill.style.width = percent(articleShare);
    return el("tr", null, [
      el("td", { class: "num" }, [String(rank + 1)]),
      el("td", null, [el("a", { href: "#article=" + n }, [id]), ...badge(n)]),
      el("td", null, [source || ""]),
      el("td", null, [date || ""]),
      el("td", { class: "share" }, [el("span", { class: "bar", "aria-hidden": "true" }, [fill]), " " + percent(articleShare)]),
      el("td", { class: "num" }, [reused + " / " + length]),
      el("td", { class: "num" }, [String(others.size)]),
    ]);
  }

  // -- the side-by-side view (built only when a pair or an article is opened) ---------------

  function describe(p, number) {
    return "Passage " + number + ": " + KINDS[p[7]] + ", score " + p[6].toFixed(3) + ", " +
      plural(p[8], "sentence pair") + (p[9] ? ", " + Math.round(p[9] * 100) + "% quoted" : "");
  }

  function articleHead(n, extra) {
    const [id, source, date, url, length] = ARTS[n];
    const meta = [source, date, plural(length, "character")].filter(Boolean).join(" \u00b7 ");
    const head = el("div", { class: "pane-head" }, [
      el("h3", null, [el("a", { href: "#article=" + n }, [id]), ...badge(n)]),
      el("div", { class: "meta" }, [meta + (extra ? " \u00b7 " + extra : "")]),
    ]);
    const verdict = VERDICTS.get(n);
    if (verdict) {
      const [, passed, counted, reported, broken] = verdict;
      const word = passed ? "PASS" : "FAIL";
      head.append(el("div", { class: "meta verdict-line" }, [
        el("span", { class: "verdict verdict-" + word.toLowerCase() }, [
          el("span", { "aria-hidden": "true" }, [passed ? "\u2713" : "\u2717"]), " " + word]),
        " counted " + percent(counted) + ", reported " + percent(reported) +
          (broken.length ? "; broke " + broken.join("; ") : "; within budget"),
      ]));
    }
    if (url) head.append(el("div", { class: "meta" }, [el("a", { href: url, rel: "noopener noreferrer" }, [url])]));
    return head;
  }

  // Fill `box` with `text`, each end in `ends` ({start, end, key, kind, label, title}) lit up
  // as <mark> segments and opened by a numbered, focusable button. Ends may overlap.
  function fillText(box, text, ends, elements) {
    const chars = /[\uD800-\uDFFF]/.test(text) ? Array.from(text) : null; // offsets are code points
    const slice = (x, y) => (chars ? chars.slice(x, y).join("") : text.slice(x, y));
    const length = chars ? chars.length : text.length;
    const cuts = new Set([0, length]);
    for (const e of ends) {
      cuts.add(e.start);
      cuts.add(e.end);
    }
    const points = Array.from(cuts).sort((x, y) => x - y);
    const parts = [];
    for (let i = 0; i < points.length; i++) {
      const x = points[i];
      for (const e of ends) {
        if (e.start === x) {
          const label = el("button", {
            type: "button", class: "plabel k-" + e.kind + (e.external ? " external" : ""),
            "data-key": e.key, "data-end": e.side, title: e.title, "aria-label": e.title + ". " + e.action,
          }, [e.label]);
          elements(e.key).push(label);
          e.button = label;
          parts.push(label);
        }
      }
      if (i === points.length - 1) break;
      const y = points[i + 1];
      const over = ends.filter((e) => e.start <= x && e.end >= y && e.end > e.start);
      if (!over.length) {
        parts.push(slice(x, y));
        continue;
      }
      const first = over[0];
      const mark = el("mark", {
        class: "seg k-" + first.kind + (over.length > 1 ? " multi" : ""),
        "data-key": first.key, "data-end": first.side, title: over.map((e) => e.title).join("\n"),
      }, [slice(x, y)]);
      for (const e of over) elements(e.key).push(mark);
      parts.push(mark);
    }
    box.replaceChildren(...parts);
  }

  function pane(n, text, ends, elements, extra) {
    const box = el("div", { class: "pane-text", tabindex: "0", role: "region", "aria-label": "Text of " + ARTS[n][0] });
    fillText(box, text, ends, elements);
    return el("section", { class: "pane", "aria-label": ARTS[n][0] }, [articleHead(n, extra), box]);
  }

  function endsOf(p, key, number, label, side, other) {
    const start = side === "a" ? p[1] : p[4];
    const end = side === "a" ? p[2] : p[5];
    const title = describe(p, number);
    return {
      key, side, start, end, label, kind: KINDS[p[7]], title,
      action: other ? "Go to its counterpart in " + other : "",
    };
  }

  function showPair(k) {
    const [a, b, members] = PAIRS[k];
    const view = { type: "pair", k, ends: {}, elements: {}, links: {} };
    const elements = (key) => view.elements[key] || (view.elements[key] = []);
    const aEnds = [];
    const bEnds = [];
    members.forEach((i, m) => {
      const p = PS[i];
      if (!keep(p)) return;
      const key = String(i);
      const number = m + 1;
      if (a === b) {
        const x = endsOf(p, key, number, String(number), "a", "the same article (second copy)");
        const y = endsOf(p, key, number, String(number), "b", "the same article (first copy)");
        aEnds.push(x, y);
        view.ends[key] = { a: x, b: y };
      } else {
        const x = endsOf(p, key, number, String(number), "a", ARTS[b][0]);
        const y = endsOf(p, key, number, String(number), "b", ARTS[a][0]);
        aEnds.push(x);
        bEnds.push(y);
        view.ends[key] = { a: x, b: y };
      }
    });
    const row = pairRow(k);
    const n = aEnds.length && row ? row.n : 0;
    const title = a === b ? "Inside " + ARTS[a][0] : ARTS[a][0] + " \u2194 " + ARTS[b][0];
    const panes = el("div", { class: a === b ? "panes one" : "panes two" }, []);
    if (a === b) {
      panes.append(pane(a, ARTS[a][7], aEnds, elements, row ? percent(row.aShare) + " repeated" : ""));
    } else {
      panes.append(pane(a, ARTS[a][7], aEnds, elements, row ? percent(row.aShare) + " in the pair" : ""));
      panes.append(pane(b, ARTS[b][7], bEnds, elements, row ? percent(row.bShare) + " in the pair" : ""));
    }
    render(view, title, plural(n, "passage") + " shown of " + members.length + summaryOfFilters(), panes);
  }

  function showArticle(n) {
    const view = { type: "article", n, ends: {}, elements: {}, links: {} };
    const elements = (key) => view.elements[key] || (view.elements[key] = []);
    const ends = [];
    const related = [];
    for (const k of partners()[n]) {
      const [a, b, members] = PAIRS[k];
      related.push(k);
      for (const i of members) {
        const p = PS[i];
        if (!keep(p)) continue;
        const key = String(i);
        if (a === b) {
          const x = endsOf(p, key, 0, "", "a", "this article (second copy)");
          const y = endsOf(p, key, 0, "", "b", "this article (first copy)");
          ends.push(x, y);
          view.ends[key] = { a: x, b: y };
        } else {
          const side = a === n ? "a" : "b";
          const other = a === n ? b : a;
          const x = endsOf(p, key, 0, "", side, ARTS[other][0]);
          x.external = true;
          ends.push(x);
          view.ends[key] = { [side]: x };
          view.links[key] = k;
        }
      }
    }
    // Number the passages in the order they start in the text.
    ends.sort((x, y) => x.start - y.start || x.end - y.end);
    let next = 0;
    const numbers = {};
    for (const e of ends) {
      if (!(e.key in numbers)) numbers[e.key] = ++next;
      e.label = String(numbers[e.key]);
      e.title = describe(PS[Number(e.key)], numbers[e.key]);
    }
    const panes = el("div", { class: "panes one" }, [pane(n, ARTS[n][7], ends, elements, percent(ARTS[n][5]) + " reused")]);
    const list = el("ul", { class: "related" }, related.map((k) => {
      const [a, b] = PAIRS[k];
      const name = a === b ? "inside this article" : "with " + ARTS[a === n ? b : a][0];
      return el("li", null, [pairLink(k, name), " (" + plural(PAIRS[k][2].length, "passage") + ")"]);
    }));
    const count = Object.keys(numbers).length;
    const extra = related.length ? [el("h3", null, ["Pairs"]), list] : [el("p", { class: "view-empty" }, ["No reuse found in this article."])];
    render(view, ARTS[n][0], plural(count, "passage") + " shown" + summaryOfFilters(), panes, extra);
  }

  function summaryOfFilters() {
    const off = KINDS.filter((_, i) => !state.kinds[i]);
    const parts = [];
    if (off.length) parts.push("hiding " + off.join(", "));
    if (state.minLen) parts.push("at least " + state.minLen + " characters");
    return parts.length ? " (" + parts.join("; ") + ")." : ".";
  }

  function render(view, title, summary, panes, extra) {
    const section = $("view");
    section.replaceChildren(
      el("p", { class: "view-nav" }, [el("a", { href: "#" }, ["\u2190 Overview"])]),
      el("h2", { class: "view-title" }, [title]),
      el("p", { class: "hint" }, [summary + " Click a passage or its number to go to its counterpart."]),
      panes,
      ...(extra || []),
    );
    state.view = view;
    $("overview").hidden = true;
    if ($("verdicts")) $("verdicts").hidden = true;
    section.hidden = false;
    root.dataset.view = view.type + "-" + (view.type === "pair" ? view.k : view.n);
  }

  function activate(key, side) {
    const view = state.view;
    if (!view || !view.ends[key]) return;
    if (view.links[key] !== undefined) {
      state.pending = key;
      location.hash = "#pair=" + view.links[key];
      return;
    }
    for (const node of document.querySelectorAll("#view .is-active")) node.classList.remove("is-active");
    for (const node of view.elements[key] || []) node.classList.add("is-active");
    const target = view.ends[key][side === "a" ? "b" : "a"];
    if (target && target.button) {
      target.button.scrollIntoView({ block: "center", inline: "nearest" });
      target.button.focus({ preventScroll: true });
    }
  }

  function route() {
    const match = /^#(pair|article)=(\d+)$/.exec(location.hash);
    const index = match ? Number(match[2]) : -1;
    if (match && match[1] === "pair" && index < PAIRS.length) {
      showPair(index);
    } else if (match && match[1] === "article" && index < ARTS.length) {
      showArticle(index);
    } else {
      state.view = null;
      $("view").hidden = true;
      $("view").replaceChildren();
      $("overview").hidden = false;
      if ($("verdicts")) $("verdicts").hidden = false;
      delete root.dataset.view;
      return;
    }
    window.scrollTo(0, 0);
    if (state.pending !== null && state.view.ends[state.pending]) {
      const key = state.pending;
      for (const node of state.view.elements[key] || []) node.classList.add("is-active");
      const end = state.view.ends[key].a || state.view.ends[key].b;
      end.button.scrollIntoView({ block: "center" });
      end.button.focus({ preventScroll: true });
    }
    state.pending = null;
  }

  function rerenderView() {
    if (!state.view) return;
    if (state.view.type === "pair") showPair(state.view.k);
    else showArticle(state.view.n);
  }

  // -- wiring -------------------------------------------------------------------------------

  $("view").addEventListener("click", (event) => {
    const target = event.target.closest("[data-key]");
    if (target) activate(target.dataset.key, target.dataset.end);
  });
  for (const box of document.querySelectorAll('#filters input[name="kind"]')) {
    box.addEventListener("change", () => {
      state.kinds[Number(box.value)] = box.checked;
      renderPairs();
      rerenderView();
    });
  }
  const number = $("min-length");
  const range = $("min-length-range");
  function setMinLength(value) {
    state.minLen = Math.max(0, Math.floor(Number(value) || 0));
    number.value = String(state.minLen);
    range.value = String(state.minLen);
    renderPairs();
    rerenderView();
  }
  number.addEventListener("input", () => setMinLength(number.value));
  range.addEventListener("input", () => setMinLength(range.value));
  $("filters").addEventListener("submit", (event) => event.preventDefault());
  for (const button of document.querySelectorAll("#pair-table th button")) {
    button.addEventListener("click", () => {
      const key = button.dataset.sort;
      state.desc = key === state.sort ? !state.desc : !(key === "a" || key === "b");
      state.sort = key;
      renderPairs();
    });
  }
  $("pair-more").addEventListener("click", () => {
    state.pairLimit += STEP;
    renderPairs();
  });
  $("article-more").addEventListener("click", () => {
    state.articleLimit += STEP;
    renderArticles();
  });
  window.addEventListener("hashchange", route);
  route();
  root.dataset.ready = "true";
})();
