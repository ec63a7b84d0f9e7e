/* An old address (content/redirects.yaml) on a host without real redirects: go on to the new
   address, which the page names in its canonical link, with the #anchor the link in the letter
   had (a meta refresh drops it), unless the new address names its own. A file, not an inline
   script, so the pages' Content-Security-Policy allows it. */
(function () {
  "use strict";
  var link = document.querySelector('link[rel="canonical"]');
  if (link && location.hash && link.getAttribute("href").indexOf("#") < 0) {
    location.replace(link.href + location.hash);
  }
})();
