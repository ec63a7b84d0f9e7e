/* The site's search box over Pagefind's JavaScript API, loaded when the field first gets focus
   (kvalitet.js imports this module). What it adds to Pagefind:

   - Answers at section level. Pagefind gives a page's word locations and its anchors (headings
     with ids); each section is ranked by its own match, every query word weighted by how rare
     it is on the site (a section that matches only common words is not shown), and the best
     three are shown with their title and an excerpt, linking to their anchor.
   - All words, then some. Pagefind finds only pages with every query word; a citizen's question
     ("hvad koster det") often has a word no page has. Pages with every content word come first,
     then pages with some of them. Common little words ("hvad", "det") count for nothing.
   - Words the page does not show. Each section ends in an empty element whose data attribute
     Pagefind indexes (kvalitet/site/searchwords.py): the editors' search words and the parts of
     its compound words. They count for the section they end, and are never in an excerpt. */

/* Danish words too common to tell pages apart (Snowball's Danish stop words, question words). */
var COMMON = new Set(("og i jeg det at en den til er som på de med han af for ikke der var mig " +
  "sig men et har om vi min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller " +
  "hvad skal selv her alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle " +
  "denne end dette mit også under have dig anden hende mine alt meget sit sine vor mod disse hvis " +
  "din nogle hos blive mange ad bliver hendes været thi jer sådan kan få får hvordan hvornår hvem " +
  "hvilke hvilken hvilket mine dine jeres man må mit dit sit vores deres hvis fx").split(" "));
/* Question words: common, but the standards' headings are questions ("Hvem omfatter denne
   støtte?"), so they count where they match a heading. */
var QUESTION = new Set(["hvem", "hvad", "hvornår", "hvordan", "hvor", "hvilke", "hvilken", "hvorfor"]);
var HIDDEN = /^kv_(soegeord|orddele)_/;
var SEARCH_WORDS = /^kv_soegeord_/;
var EXCERPT = 24;          /* words */
var SHOWN_PAGES = 10;
var SHOWN_SECTIONS = 3;
var SECTION_SHARE = 0.3;   /* a section is shown when it scores this share of the page's best */

function tokens(text) {
  return (text.toLocaleLowerCase("da").match(/[\p{L}\p{N}]+/gu) || []);
}

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/* The page's regions: the part before the first section heading (the page itself), and each
   h2/h3 with an id, from its location to the next one's. Hidden ranges: each search-word or
   compound-part element's words, up to the next anchor. */
function regions(data) {
  var anchors = (data.anchors || []).slice().sort(function (a, b) { return a.location - b.location; });
  var heads = [{ id: null, title: data.meta.title, url: data.url, location: 0, size: 0 }];
  var hidden = [];
  anchors.forEach(function (anchor, i) {
    if (HIDDEN.test(anchor.id)) {
      var next = anchors.slice(i + 1).find(function (a) { return a.location > anchor.location; });
      hidden.push({ from: anchor.location, to: next ? next.location : data.word_count,
                    words: SEARCH_WORDS.test(anchor.id) });
    } else if (/^h[23]$/i.test(anchor.element) && anchor.text && /\S/.test(anchor.text)) {
      heads.push({ id: anchor.id, title: anchor.text.trim(), url: data.url.split("#")[0] + "#" + anchor.id,
                   location: anchor.location, size: tokens(anchor.text).length });
    }
  });
  heads.forEach(function (head, i) {
    head.end = i + 1 < heads.length ? heads[i + 1].location : data.word_count;
  });
  return { heads: heads, hidden: hidden };
}

function regionOf(heads, location) {
  for (var i = heads.length - 1; i >= 0; i--) {
    if (location >= heads[i].location) { return heads[i]; }
  }
  return heads[0];
}

function hiddenAt(hidden, location) {
  return hidden.find(function (h) { return location >= h.from && location < h.to; });
}

/* The excerpt of a region: the densest window of matching visible words (a compound's visible
   word matches its hidden part: it contains the query word), never a hidden word, without the
   heading itself. */
function excerpt(data, head, hidden, terms) {
  var words = data.content.split(/\s+/);
  var start = head.location + head.size;
  var shown = [];
  for (var i = start; i < Math.min(head.end, words.length); i++) {
    if (!hiddenAt(hidden, i)) { shown.push(words[i]); }
  }
  var hits = shown.map(function (word) {
    var plain = tokens(word).join("");
    return terms.some(function (t) { return plain.indexOf(t.stem) !== -1; });
  });
  var best = 0, bestCount = -1;
  for (var s = 0; s < Math.max(1, shown.length - EXCERPT + 1); s++) {
    var count = 0;
    for (var k = s; k < Math.min(s + EXCERPT, shown.length); k++) { if (hits[k]) { count++; } }
    if (count > bestCount) { best = s; bestCount = count; }
  }
  /* Start a little before the first hit, so the hit has its context. */
  var first = hits.indexOf(true, best);
  if (first > best + 4) { best = Math.max(0, first - 4); }
  var parts = [];
  for (var j = best; j < Math.min(best + EXCERPT, shown.length); j++) {
    var text = escapeHtml(shown[j]);
    parts.push(hits[j] ? "<mark>" + text + "</mark>" : text);
  }
  return (best > 0 ? "… " : "") + parts.join(" ") + (best + EXCERPT < shown.length ? " …" : "");
}

/* The search itself: returns the pages to show, each with its sections. */
export function find(pagefind, query, pageCount) {
  var all = tokens(query);
  var content = all.filter(function (w) { return !COMMON.has(w); });
  if (!content.length) { content = all; }
  content = Array.from(new Set(content));
  if (!content.length) { return Promise.resolve({ pages: [], total: 0 }); }
  var asked = all.filter(function (w) { return QUESTION.has(w) && content.indexOf(w) === -1; });
  var searches = [pagefind.search(content.join(" "))].concat(
    content.length > 1 ? content.map(function (w) { return pagefind.search(w); }) : [],
    asked.map(function (w) { return pagefind.search(w); }));
  return Promise.all(searches).then(function (found) {
    var every = found[0].results;
    var single = content.length > 1 ? found.slice(1, 1 + content.length) : [found[0]];
    var questions = found.slice(found.length - asked.length);
    /* Each query word: its pages, their locations of it and Pagefind's score, and its weight
       (rare words count most). */
    var terms = content.map(function (word, i) {
      var pages = new Map();
      var top = 0;
      single[i].results.forEach(function (r) {
        pages.set(r.id, { words: r.words, score: r.score });
        top = Math.max(top, r.score);
      });
      var idf = Math.log(1 + pageCount / Math.max(1, pages.size));
      return { word: word, stem: word.slice(0, Math.max(3, word.length - 2)), pages: pages,
               top: top || 1, idf: idf };
    });
    var total = terms.reduce(function (sum, t) { return sum + t.idf; }, 0);
    /* Question words count only in headings, as much as an average word of the query. */
    var headingTerms = asked.map(function (word, i) {
      var pages = new Map();
      questions[i].results.forEach(function (r) { pages.set(r.id, { words: r.words }); });
      return { word: word, stem: word, pages: pages, idf: total / terms.length, heading: true };
    });
    var byId = new Map();
    every.forEach(function (r) { byId.set(r.id, r); });
    single.forEach(function (s) { s.results.forEach(function (r) { if (!byId.has(r.id)) { byId.set(r.id, r); } }); });
    var everyIds = new Set(every.map(function (r) { return r.id; }));
    var ranked = Array.from(byId.values()).map(function (r) {
      var score = terms.reduce(function (sum, t) {
        var hit = t.pages.get(r.id);
        return sum + (hit ? t.idf * (0.5 + 0.5 * hit.score / t.top) : 0);
      }, 0);
      /* Pages with every word first. */
      return { result: r, score: score + (everyIds.has(r.id) ? total : 0) };
    }).sort(function (a, b) { return b.score - a.score; });
    /* Drop pages that match only a small part of the question (by weight of its words). */
    var best = ranked.length ? ranked[0].score : 0;
    ranked = ranked.filter(function (p) { return p.score >= best * 0.25; });
    return Promise.all(ranked.slice(0, SHOWN_PAGES).map(function (p) {
      return p.result.data().then(function (data) {
        return shape(data, p.result.id, terms, headingTerms);
      });
    })).then(function (pages) { return { pages: pages, total: ranked.length }; });
  });
}

/* A page with its best sections. */
function shape(data, id, terms, headingTerms) {
  var parts = regions(data);
  var score = new Map();
  terms.concat(headingTerms).forEach(function (t) {
    var hit = t.pages.get(id);
    if (!hit) { return; }
    var tf = new Map();
    hit.words.forEach(function (location) {
      var head = regionOf(parts.heads, location);
      var hiddenRange = hiddenAt(parts.hidden, location);
      var inTitle = location < head.location + head.size;
      if (t.heading && (!inTitle || head.id === null)) { return; }
      var weight = inTitle ? 3 : hiddenRange ? (hiddenRange.words ? 3 : 1) : 1;
      tf.set(head, (tf.get(head) || 0) + weight);
    });
    tf.forEach(function (f, head) {
      var entry = score.get(head) || { score: 0, words: 0 };
      entry.score += t.idf * (f * 2.2) / (f + 1.2);
      entry.words += t.heading ? 0 : 1;
      score.set(head, entry);
    });
  });
  /* A section that matches only question words is no answer. */
  var sections = Array.from(score.entries()).filter(function (e) { return e[1].words > 0; }).map(function (e) {
    return { head: e[0], score: e[1].score * (0.5 + 0.5 * e[1].words / terms.length) };
  }).sort(function (a, b) { return b.score - a.score; });
  var top = sections.length ? sections[0].score : 0;
  var shown = sections.filter(function (s) { return s.score >= top * SECTION_SHARE; });
  var intro = shown.find(function (s) { return s.head.id === null; });
  var others = shown.filter(function (s) { return s.head.id !== null; }).slice(0, SHOWN_SECTIONS);
  var lead = intro || (others.length ? null : sections[0]);
  return {
    title: data.meta.title || data.url,
    url: data.url,
    excerpt: lead ? excerpt(data, lead.head, parts.hidden, terms) : "",
    sections: others.map(function (s) {
      return { title: s.head.title, url: s.head.url,
               excerpt: excerpt(data, s.head, parts.hidden, terms) };
    })
  };
}
