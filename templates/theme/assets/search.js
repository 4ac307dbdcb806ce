// The search page: a small search box, result list and filter panel on Pagefind's JS API.
// digest/search.py lists the bundles in search-bundles.js (the main bundle's shards, then the
// "recent" one); they are merged, so one query searches them all. Paths are taken from this
// script's own URL, so a site published under a sub-path (a GitHub Pages project site) works.
//
// Not Pagefind's UI: it loads every filter's index when it starts, and once loaded Pagefind
// counts each filter value against every search's results (at 10,000 articles that took
// seconds per search). Here the filter index loads only when the reader opens a filter.
// Class names follow Pagefind UI's, so tests and bench/run.py address the same elements.
(function () {
  "use strict";
  var PAGE = 10;          // results rendered at a time
  var DEBOUNCE_MS = 120;  // after the last keystroke; Pagefind UI waits 300 ms
  var root = new URL("../", document.currentScript.src);
  var bundles = (window.digestSearchBundles || []).map(function (b) { return new URL(b, root).pathname; });
  var box = document.querySelector("div#search");  // the h1 is #search-page, not #search
  if (!box) return;
  if (!bundles.length) {
    box.textContent = "The search index is empty: no article has been indexed yet.";
    return;
  }
  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = new URL("assets/search.css", root).pathname;
  document.head.appendChild(css);

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // ---- the page's elements
  var form = el("form", "pagefind-ui__form");
  form.setAttribute("role", "search");
  var input = el("input", "pagefind-ui__search-input");
  input.type = "search";
  input.placeholder = "Search articles and actors";
  input.setAttribute("aria-label", "Search");
  input.autocomplete = "off";
  form.appendChild(input);
  var panel = el("div", "pagefind-ui__filter-panel");
  var area = el("div", "pagefind-ui__results-area");
  var message = el("p", "pagefind-ui__message");
  message.setAttribute("role", "status");
  var list = el("ol", "pagefind-ui__results");
  var more = el("button", "pagefind-ui__button md-button", "More results");
  more.type = "button";
  more.hidden = true;
  area.append(message, list, more);
  var drawer = el("div", "pagefind-ui__drawer");
  drawer.append(panel, area);
  box.replaceChildren(form, drawer);

  // ---- filters: one <details> per filter; its values (and the filter index) load when one opens
  var names = (box.dataset.filters || "").split(/\s+/).filter(Boolean);
  var labels = JSON.parse(box.dataset.filterLabels || "{}");
  var chosen = {};        // filter -> {value: true}
  var blocks = {};        // filter -> its <fieldset>
  var filtersLoaded = null;
  names.forEach(function (name) {
    var block = el("details", "pagefind-ui__filter-block");
    var summary = el("summary", "pagefind-ui__filter-name", labels[name] || name);
    var values = el("fieldset", "pagefind-ui__filter-group");
    values.appendChild(el("p", "pagefind-ui__filter-loading", "Loading…"));
    block.append(summary, values);
    block.addEventListener("toggle", function () { if (block.open) loadFilters(); });
    blocks[name] = values;
    panel.appendChild(block);
  });

  var allCounts = null;  // filter -> value -> pages, over the whole index, once loaded
  function loadFilters() {
    if (!filtersLoaded) {
      filtersLoaded = ready.then(function (pf) { return pf.filters(); }).then(function (all) {
        allCounts = all;
        run(true);  // again, so the counts are those of the current results
      }).catch(function (err) {
        filtersLoaded = null;  // opening a filter again retries
        message.textContent = "The filters could not be loaded: " + err;
      });
    }
  }

  // Each filter's values, most frequent first. `counts`: how many of the current results
  // each value matches; in a filter with a value ticked (values of one filter are OR-ed),
  // `totals`: how many results the words alone have, so the other values stay offered.
  function drawFilters(counts, totals) {
    names.forEach(function (name) {
      var values = blocks[name];
      var ticked = chosen[name] && Object.keys(chosen[name]).length;
      var shown = ((ticked ? totals : counts) || {})[name] || {};
      var keys = Object.keys(allCounts[name] || {}).sort(function (a, b) {
        return (shown[b] || 0) - (shown[a] || 0) || a.localeCompare(b);
      });
      values.replaceChildren();
      keys.forEach(function (value) {
        var n = shown[value] || 0;
        if (!n && !(chosen[name] && chosen[name][value])) return;
        var label = el("label", "pagefind-ui__filter-label");
        var check = el("input", "pagefind-ui__filter-checkbox");
        check.type = "checkbox";
        check.checked = !!(chosen[name] && chosen[name][value]);
        check.addEventListener("change", function () {
          chosen[name] = chosen[name] || {};
          if (check.checked) chosen[name][value] = true; else delete chosen[name][value];
          run(true);
        });
        label.append(check, document.createTextNode(value + " "), el("span", "pagefind-ui__filter-count", "(" + n + ")"));
        values.appendChild(label);
      });
      if (!values.firstChild) values.appendChild(el("p", "pagefind-ui__filter-loading", "None in these results"));
    });
  }

  function filterArg() {
    var out = {};
    Object.keys(chosen).forEach(function (name) {
      var vals = Object.keys(chosen[name]);
      if (vals.length) out[name] = {any: vals};
    });
    return out;
  }

  // ---- Pagefind, loaded as the page opens: the reader came here to search
  var ready = import(bundles[0] + "pagefind.js").then(function (pf) {
    return pf.options({baseUrl: root.pathname, excerptLength: 24}).then(function () {
      return Promise.all(bundles.slice(1).map(function (b) { return pf.mergeIndex(b, {baseUrl: root.pathname}); }));
    }).then(function () { return pf; });
  });
  ready.catch(function (err) { message.textContent = "Search could not start: " + err; });

  // ---- searching
  var generation = 0, results = [], shown = 0, timer = null;

  function run(now) {
    clearTimeout(timer);
    if (now === true) go(); else timer = setTimeout(go, DEBOUNCE_MS);
  }

  function go() {
    var term = input.value.trim();
    var filters = filterArg();
    var mine = ++generation;
    var url = new URL(location.href);
    if (term) url.searchParams.set("q", term); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (!term && !Object.keys(filters).length) {
      list.replaceChildren();
      message.textContent = "";
      more.hidden = true;
      if (allCounts) drawFilters(allCounts, allCounts);
      return;
    }
    ready.then(function (pf) {
      // no words but a filter: every page the filters allow
      return pf.search(term || null, {filters: filters});
    }).then(function (res) {
      if (mine !== generation) return;
      results = res.results;
      shown = 0;
      list.replaceChildren();
      if (allCounts) drawFilters(res.filters, res.totalFilters);
      var what = term ? " for " + term : "";
      message.textContent = results.length ? results.length.toLocaleString("en") + " result" + (results.length === 1 ? "" : "s") + what
                                           : "No results" + what;
      return page(mine);
    }).catch(function (err) {
      if (mine === generation) message.textContent = "Search failed: " + err;
    });
  }

  function page(mine) {
    var slice = results.slice(shown, shown + PAGE);
    shown += slice.length;
    more.hidden = true;
    return Promise.all(slice.map(function (r) { return r.data(); })).then(function (data) {
      if (mine !== generation) return;
      data.forEach(function (d) { list.appendChild(item(d)); });
      more.hidden = shown >= results.length;
    });
  }

  function item(d) {
    var li = el("li", "pagefind-ui__result");
    var title = el("p", "pagefind-ui__result-title");
    var link = el("a", "pagefind-ui__result-link", (d.meta && d.meta.title) || d.url);
    link.href = d.url;
    title.appendChild(link);
    li.append(title, excerpt(d.excerpt || ""));
    return li;
  }

  // Pagefind's excerpt is page text with < and > escaped and the matches in <mark>: rebuilt
  // here as text nodes and <mark> elements, so no markup from an article can reach the page.
  function excerpt(html) {
    var p = el("p", "pagefind-ui__result-excerpt");
    html.split(/(<mark>[\s\S]*?<\/mark>)/).forEach(function (part) {
      var marked = /^<mark>([\s\S]*)<\/mark>$/.exec(part);
      var text = (marked ? marked[1] : part).replace(/&lt;/g, "<").replace(/&gt;/g, ">");
      p.appendChild(marked ? el("mark", "", text) : document.createTextNode(text));
    });
    return p;
  }

  input.addEventListener("input", run);
  form.addEventListener("submit", function (e) { e.preventDefault(); run(true); });
  more.addEventListener("click", function () { page(generation); });

  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; run(true); }
  input.focus();
})();
