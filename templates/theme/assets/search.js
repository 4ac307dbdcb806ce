// The search page: Pagefind's main bundle merged with the small "recent" one. digest/search.py
// lists the bundles that exist in search-bundles.js; Pagefind's UI is loaded from the first.
// Paths are taken from this script's own URL, so a site published under a sub-path (a GitHub
// Pages project site) works unchanged.
(function () {
  var root = new URL("../", document.currentScript.src);
  var bundles = (window.digestSearchBundles || []).map(function (b) { return new URL(b, root).pathname; });
  var box = document.getElementById("search");
  if (!bundles.length) {
    box.textContent = "The search index is empty: no article has been indexed yet.";
    return;
  }
  [bundles[0] + "pagefind-ui.css", new URL("assets/search.css", root).pathname].forEach(function (href) {
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = href;
    document.head.appendChild(css);  // ours after Pagefind's, so ours wins
  });
  var js = document.createElement("script");
  js.src = bundles[0] + "pagefind-ui.js";
  js.onload = function () {
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: bundles[0],
      baseUrl: root.pathname,
      mergeIndex: bundles.slice(1).map(function (b) { return { bundlePath: b, baseUrl: root.pathname }; }),
      showSubResults: false,
      autofocus: true,
    });
    var q = new URLSearchParams(location.search).get("q");
    if (q) ui.triggerSearch(q);
  };
  document.head.appendChild(js);
})();
