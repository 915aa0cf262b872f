// Starts Pagefind's search UI. Result links are made relative to where the site is
// served from (a domain root or a project subpath), found from this page's address.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  // data-bundle names a file of the bundle: its folder is the bundle, and the folder above is the site.
  var bundle = new URL(".", new URL(box.getAttribute("data-bundle"), document.baseURI));
  var root = new URL("../", bundle).pathname;
  new PagefindUI({
    element: "#search",
    bundlePath: bundle.pathname,
    baseUrl: root,
    showSubResults: false,
    showImages: false,
    resetStyles: false,
    openFilters: ["stack"],
  });
})();
