/* The preview's reload (kvalitet serve): ask for the status with this page's build number; the
   answer comes as soon as a newer build is ready (or after a while), and a newer build reloads
   the page. A file, not an inline script, so the pages' Content-Security-Policy holds in the
   preview too. */
(function () {
  "use strict";
  var me = document.currentScript;
  var version = Number(me.getAttribute("data-version"));
  var status = me.getAttribute("data-status");
  var poll = function () {
    fetch(status + "?v=" + version, { cache: "no-store" })
      .then(function (answer) { return answer.json(); })
      .then(function (state) {
        if (state.version !== version) { location.reload(); } else { poll(); }
      }, function () { setTimeout(poll, 1000); });
  };
  poll();
})();
