// Starts Pagefind's search UI. Result links are made relative to where the site is
// served from (a domain root or a project subpath), found from this page's address.
// A large catalog is indexed as several bundles: pagefind/bundles.json names the ones
// to merge with the first.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  // data-bundle names a file of the bundle: its folder is the bundle, and the folder above is the site.
  var bundle = new URL(".", new URL(box.getAttribute("data-bundle"), document.baseURI));
  var site = new URL("../", bundle);
  function start(merge) {
    new PagefindUI({
      element: "#search",
      bundlePath: bundle.pathname,
      baseUrl: site.pathname,
      mergeIndex: merge.map(function (folder) {
        return { bundlePath: new URL(folder, site).pathname, baseUrl: site.pathname };
      }),
      showSubResults: false,
      showImages: false,
      resetStyles: false,
      // The stacks' filter, by its name in the page's language (index.html names it where it is not "stack").
      openFilters: [box.getAttribute("data-open-filter") || "stack"],
    });
  }
  fetch(new URL("bundles.json", bundle))
    .then(function (response) {
      return response.ok ? response.json() : { merge: [] };
    })
    .then(function (list) {
      start(list.merge || []);
    })
    .catch(function () {
      start([]);
    });
})();
