/* Small enhancements. Everything works without them: headings keep their permalinks, the
   browser's own print gives the clean print layout, and the guide has plain links. */
(function () {
  "use strict";

  /* The search (Pagefind, through search.js). The form is rendered hidden, so without
     JavaScript there is no dead control. Nothing of it is fetched before the field gets focus.
     Results are links to the page and to its best sections; the count is announced
     (role="status"). */
  var searchBox = document.querySelector("[data-kv-search]");
  var here = document.currentScript && document.currentScript.src;
  if (searchBox && here && window.URL && window.Promise && window.Map) {
    var searchInput = searchBox.querySelector("input");
    var searchStatus = searchBox.querySelector("[data-kv-status]");
    var searchList = searchBox.querySelector("[data-kv-results]");
    /* Relative to the page ("../pagefind/"), so the site works from any sub-folder. */
    var bundle = new URL(searchBox.getAttribute("data-bundle"), document.baseURI).href;
    var engine = null, asked = 0, pause = 0;

    var loadSearch = function () {
      if (!engine) {
        engine = Promise.all([
          import(new URL("search.js", here).href),
          import(bundle + "pagefind.js").then(function (api) {
            /* Long pages are not to lose against short ones only for being long. */
            return api.options({ ranking: { pageLength: 0.2, termFrequency: 0.6 } })
              .then(function () { return api; });
          }),
          fetch(bundle + "pagefind-entry.json").then(function (r) { return r.json(); })
        ]).then(function (loaded) {
          var entry = loaded[2].languages || {};
          var count = Object.keys(entry).reduce(function (n, k) { return n + entry[k].page_count; }, 0);
          return { find: loaded[0].find, api: loaded[1], pages: count || 1 };
        });
        engine.catch(function () { engine = null; });
      }
      return engine;
    };
    var element = function (tag, cls, text) {
      var made = document.createElement(tag);
      if (cls) { made.className = cls; }
      if (text) { made.textContent = text; }
      return made;
    };
    var excerpt = function (html) {
      var p = element("p", "kv-search__excerpt");
      p.innerHTML = html; /* the page's own text, escaped, with <mark> */
      return p;
    };
    var show = function (pages, total, term) {
      var found = pages.map(function (item) {
        var li = element("li", "kv-search__hit");
        var link = element("a", "kv-search__title", item.title);
        link.href = item.url;
        li.appendChild(link);
        if (item.excerpt) { li.appendChild(excerpt(item.excerpt)); }
        if (item.sections.length) {
          var ul = element("ul", "kv-search__parts");
          item.sections.forEach(function (sub) {
            var part = element("li");
            var to = element("a", "", sub.title);
            to.href = sub.url;
            part.appendChild(to);
            part.appendChild(excerpt(sub.excerpt));
            ul.appendChild(part);
          });
          li.appendChild(ul);
        }
        return li;
      });
      searchList.replaceChildren.apply(searchList, found);
      searchStatus.textContent = total === 0 ? "Ingen resultater for »" + term + "«."
        : (total === 1 ? "1 resultat" : total + " resultater") + " for »" + term + "«" +
          (total > pages.length ? ". De første " + pages.length + " vises." : ".");
    };
    var search = function () {
      var term = searchInput.value.trim();
      var mine = ++asked;
      if (!term) { searchList.replaceChildren(); searchStatus.textContent = ""; return; }
      loadSearch().then(function (s) { return s.find(s.api, term, s.pages); }).then(function (found) {
        if (mine === asked) { show(found.pages, found.total, term); }
      }).catch(function () {
        if (mine === asked) { searchStatus.textContent = "Søgningen virker ikke lige nu. Prøv igen senere."; }
      });
    };
    searchInput.addEventListener("focus", loadSearch);
    searchInput.addEventListener("input", function () {
      window.clearTimeout(pause);
      pause = window.setTimeout(search, 250);
    });
    searchBox.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(pause);
      search();
    });
    searchInput.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && searchInput.value) { searchInput.value = ""; search(); }
    });
    searchBox.hidden = false;
  }

  /* The glossary tooltips are CSS (kvalitet-css.html); while the pointer is on a term, its
     title waits in data-kv-tip, so the browser's own tooltip does not show the same text. */
  document.querySelectorAll("a.kv-term[title]").forEach(function (term) {
    term.addEventListener("mouseenter", function () {
      if (term.hasAttribute("title")) {
        term.setAttribute("data-kv-tip", term.getAttribute("title"));
        term.removeAttribute("title");
      }
    });
    term.addEventListener("mouseleave", function () {
      if (term.hasAttribute("data-kv-tip")) {
        term.setAttribute("title", term.getAttribute("data-kv-tip"));
        term.removeAttribute("data-kv-tip");
      }
    });
  });

  /* Escape hides the glossary tooltips until the pointer or focus moves on (WCAG 1.4.13). */
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { document.body.classList.add("kv-tips-dismissed"); }
  });
  ["mouseover", "focusin"].forEach(function (type) {
    document.addEventListener(type, function () {
      document.body.classList.remove("kv-tips-dismissed");
    });
  });

  var status = document.createElement("div");
  status.className = "kv-sr-only";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  document.body.appendChild(status);

  function announce(text) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function copyButton(label, name, textFor) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "kv-copy";
    button.textContent = label;
    if (name) { button.setAttribute("aria-label", name); }
    button.addEventListener("click", function () {
      var text = textFor();
      copyText(text).then(function () {
        button.textContent = "Kopieret";
        announce("Link kopieret");
        window.setTimeout(function () { button.textContent = label; }, 2500);
      }, function () {
        window.prompt("Kopiér linket:", text);
      });
    });
    return button;
  }

  /* The page's own address without #fragment: the canonical address (from the site's
     site_url) when there is one, else the address in the browser. */
  function pageAddress() {
    var canonical = document.querySelector('link[rel="canonical"]');
    var address = canonical ? canonical.href : window.location.href;
    return address.split("#")[0];
  }

  /* "Kopiér link" on every section and sub-section heading of a standard. */
  document.querySelectorAll(".md-content :is(h2.kv-section, h3.kv-subsection)[id]").forEach(function (heading) {
    var title = heading.firstChild ? heading.firstChild.textContent.trim() : heading.id;
    var button = copyButton("Kopiér link", "Kopiér link til afsnittet: " + title, function () {
      return pageAddress() + "#" + heading.id;
    });
    heading.insertAdjacentElement("afterend", button);
  });

  /* The caseworkers' page: complete paths to full addresses, and a copy button for each
     address (a row of a dated standard has two: the text in force and today's edition). */
  document.querySelectorAll(".kv-linklist tr").forEach(function (row) {
    var link = row.querySelector("a[href]");
    if (!link) { return; }
    row.querySelectorAll(".kv-address").forEach(function (address, i) {
      if (address.hasAttribute("data-kv-complete")) {
        /* The full address, breakable only after "/" and "#" (never inside an id). */
        var full = new URL(address.getAttribute("data-kv-href") || link.href,
                           document.baseURI).href;
        address.textContent = "";
        full.split(/(?<=[\/#])/).forEach(function (part, j) {
          if (j) { address.appendChild(document.createElement("wbr")); }
          address.appendChild(document.createTextNode(part));
        });
      }
      var name = "Kopiér link til " + link.textContent.trim() +
        (i ? " (udgaven, der gælder i dag)" : "");
      var button = copyButton("Kopiér", name, function () {
        return address.textContent.trim();
      });
      address.insertAdjacentElement("afterend", button);
    });
  });

  /* Notes that only concern readers without JavaScript. */
  document.querySelectorAll(".kv-nojs").forEach(function (note) { note.hidden = true; });

  /* "Udskriv" on a standard page. */
  document.querySelectorAll("[data-kv-print]").forEach(function (place) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "kv-copy kv-print";
    button.textContent = "Udskriv";
    button.addEventListener("click", function () { window.print(); });
    place.appendChild(button);
  });

  /* The guide: where the previous question is not unambiguous, going back in the browser's
     history is (the page has no back link of its own then). */
  var answers = document.querySelector(".kv-answers, .kv-outcome");
  if (answers && !document.querySelector(".kv-back") && document.referrer &&
      document.referrer.indexOf(window.location.origin) === 0 && window.history.length > 1) {
    var back = document.createElement("button");
    back.type = "button";
    back.className = "kv-back kv-back--button";
    back.textContent = "Tilbage";
    back.addEventListener("click", function () { window.history.back(); });
    var title = document.querySelector(".md-content h1");
    if (title) { title.insertAdjacentElement("beforebegin", back); }
  }
})();
