"""The site's one style sheet, ``assets/kvalitet.css``: the rules of Material's style sheet that
the built pages can use, then the site's own CSS (``overrides/partials/kvalitet-css.html``).

Material's style sheet is 23 KB compressed and blocks the first paint; the site uses a small
part of it. A rule is kept when every class, id, attribute and element its selector names occurs
in some built page (the way PurgeCSS decides, on tokens; pseudo-classes and the arguments of
``:not()``, ``:is()`` and the like are not looked at, so a rule is kept rather than lost), and
so is every rule of an at-rule (``@media``, ``@supports``) that is kept for the same reason.
Material is frozen at its end of life (see kv-base.html), so what it holds does not move.

The CSS is parsed with tinycss2 (WeasyPrint's own parser, already a dependency). The page frame
links the file; the hook writes it after the build, from the pages it built; ``kvalitet
export`` writes Material's whole style sheet instead (no pages yet; the plain export is the way
out, not the fast path).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import tinycss2

from kvalitet import cachedir

URL = "assets/kvalitet.css"
MATERIAL_CSS = "assets/stylesheets/main.57a0d79d.min.css"  # the file kv-base.html named before
# class="…" and id="…" where the name begins a word (\bclass=, \bid=); found by their text and
# the letter before checked (``_values``): a pattern that begins with \b scans five times slower.
_CLASS = re.compile(r'class="([^"]*)"')
_ID = re.compile(r'id="([^"]*)"')
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_ATTR = re.compile(r"\s([a-zA-Z][a-zA-Z0-9_:-]*)=")
_FUNCTIONAL = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any)\(")
_SEL_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_SEL_ID = re.compile(r"#(-?[_a-zA-Z][\w-]*)")
_SEL_ATTR = re.compile(r"\[\s*([\w:-]+)")
_SEL_TAG = re.compile(r"(?:^|[\s>+~(])([a-zA-Z][a-zA-Z0-9-]*)")
# Added to pages by the site's script (kvalitet.js), or present only while it runs.
SCRIPT_TOKENS = {"button", "textarea", "wbr", "mark", "ol", "ul", "li", "p", "a", "input", "form",
                 "hidden"}


def page_tokens(html: str) -> set[str]:
    """The class names, ids, attribute names and element names of one page's HTML, marked so
    that they do not mix (".x", "#x", "[x", "x")."""
    found = {f"<{t.lower()}" for t in _TAG.findall(html)}
    found |= {f"[{a.lower()}" for a in _ATTR.findall(html)}
    found |= {f"#{i}" for i in _values(_ID, html)}
    for names in _values(_CLASS, html):
        found |= {f".{c}" for c in names.split()}
    return found


def _values(pattern: re.Pattern, html: str) -> list[str]:
    """The values ``pattern`` finds where its name begins a word (as ``\b`` before it)."""
    found = []
    for match in pattern.finditer(html):
        before = html[match.start() - 1] if match.start() else " "
        if not (before.isalnum() or before == "_"):
            found.append(match.group(1))
    return found


def _strip_functional(selector: str) -> str:
    """The selector without the arguments of :not(), :is(), ... (nested brackets too)."""
    out, i = [], 0
    while i < len(selector):
        match = _FUNCTIONAL.search(selector, i)
        if not match:
            out.append(selector[i:])
            break
        out.append(selector[i:match.start()])
        depth, j = 1, match.end()
        while j < len(selector) and depth:
            depth += {"(": 1, ")": -1}.get(selector[j], 0)
            j += 1
        i = j
    return "".join(out)


def _needs(selector: str) -> set[str]:
    plain = _strip_functional(re.sub(r"\[[^\]]*\]", lambda m: m.group(0).split("=")[0] + "]",
                                     selector))
    plain = re.sub(r"::?[\w-]+", " ", re.sub(r"\"[^\"]*\"|'[^']*'", "", plain))
    needs = {f".{c}" for c in _SEL_CLASS.findall(plain)}
    needs |= {f"#{i}" for i in _SEL_ID.findall(plain)}
    needs |= {f"[{a.lower()}" for a in _SEL_ATTR.findall(_strip_functional(selector))}
    needs |= {f"<{t.lower()}" for t in _SEL_TAG.findall(re.sub(r"[.#][\w-]+|\[[^\]]*\]", " ",
                                                                plain))}
    return needs - {"<html", "<body"}


@cache
def _material_rules(path: str) -> list:
    css = Path(path).read_text("utf-8")
    return tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)


def _keep(rules: Iterable, tokens: set[str]) -> list[str]:
    kept: list[str] = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s.strip() for s in tinycss2.serialize(rule.prelude).split(",")]
            # The site is written left to right: Material's right-to-left rules never apply.
            used = [s for s in selectors if _needs(s) <= tokens and "dir=rtl" not in s
                    and 'dir="rtl"' not in s]
            if used:
                kept.append(",".join(used) + "{" + tinycss2.serialize(rule.content).strip() + "}")
        elif rule.type == "at-rule":
            name = rule.lower_at_keyword
            if name in ("media", "supports", "container", "layer") and rule.content is not None:
                inner = _keep(tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                       skip_whitespace=True), tokens)
                if inner:
                    kept.append(f"@{name} {tinycss2.serialize(rule.prelude).strip()}"
                                f"{{{''.join(inner)}}}")
            elif name in ("keyframes", "-webkit-keyframes", "font-face", "property"):
                kept.append(tinycss2.serialize([rule]))
    return kept


def material_css(theme_dir: Path, tokens: set[str] | None) -> str:
    """Material's style sheet: the rules the pages with ``tokens`` use (all, when None)."""
    path = theme_dir / MATERIAL_CSS
    if tokens is None:
        return path.read_text("utf-8")
    wanted = tokens | SCRIPT_TOKENS_MARKED
    # Kept by a hash of Material's CSS, the tokens and this module (parsing Material's CSS took
    # a tenth of every build; the pages of one site name the same tokens build after build).
    digest = hashlib.blake2b(path.read_bytes(), digest_size=16)
    digest.update(Path(__file__).read_bytes())
    digest.update("\0".join(sorted(wanted)).encode("utf-8"))
    return cachedir.kept("css", digest.hexdigest(),
                         lambda: "".join(_keep(_material_rules(str(path)), wanted)))


SCRIPT_TOKENS_MARKED = {f"<{t}" for t in SCRIPT_TOKENS} | {"[hidden"}


def site_css(overrides: Path) -> str:
    """The site's own CSS (the theme partial Zensical inlines)."""
    return (overrides / "partials" / "kvalitet-css.html").read_text("utf-8")


def stylesheet(theme_dir: Path, overrides: Path, tokens: set[str] | None) -> str:
    """``assets/kvalitet.css``: Material's rules the pages use, then the site's own."""
    return ("/* Material for MkDocs 9.8.2 (MIT License), the rules this site uses; then the "
            "site's own CSS. */\n" + material_css(theme_dir, tokens) + "\n"
            + site_css(overrides))
