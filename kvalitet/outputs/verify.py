"""``kvalitet verify URL``: the live site keeps the content's promises.

Every address in the published-links lock answers (200, or a permanent redirect to a page that
answers 200; on hosts without real redirects, the engine's redirect page and where it leads),
with its ``#anchor`` on the page it lands on; every page carries its Content-Security-Policy;
the sitemap and the search index are there; an unknown address gets a 404; and where the host
sends security headers, all of them are there and the CSP header allows what each page's own
policy allows (a server block made from an older build does not). With ``--site`` the pages must
be those of that build, so a check right after a deployment waits for the new site, not the old
one. ``--wait`` checks again until everything answers or the time is up.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html

from kvalitet import urls
from kvalitet.outputs import csp

TIMEOUT = 10  # seconds per request: one round answers within about a minute
PAUSE = 10  # seconds between rounds with --wait
WORKERS = 8
PERMANENT = (301, 308)
REQUIRED_HEADERS = ("Content-Security-Policy", "Strict-Transport-Security",
                    "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy")


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes
    url: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # every hop is looked at, not followed blindly


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str) -> Answer:
    """One GET, redirects not followed. A network error is an answer with status 0."""
    request = urllib.request.Request(url, headers={"User-Agent": "kvalitet-verify"})
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as response:
            return Answer(response.status, response.headers, response.read(), url)
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, exc.headers, exc.read() if exc.fp else b"", url)
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        message = Message()
        message["X-Error"] = str(reason)
        return Answer(0, message, b"", url)


def _status(answer: Answer) -> str:
    return f"svarer {answer.status}" if answer.status else \
        f"svarer ikke ({answer.headers.get('X-Error')})"


@dataclass
class _Page:
    """What the page an address lands on holds."""

    ids: set[str]
    refresh: str | None  # the target of a meta refresh (the engine's redirect pages)
    policy: dict[str, tuple[str, ...]] | None


def _read(body: bytes) -> _Page:
    text = body.decode("utf-8", errors="replace")
    if not text.strip():
        return _Page(set(), None, None)
    doc = lxml.html.document_fromstring(text)
    refresh = None
    for meta in doc.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "refresh":
            _, _, target = (meta.get("content") or "").partition("=")
            refresh = target.strip().strip("'\"") or None
    return _Page(set(doc.xpath("//@id")) | set(doc.xpath("//a/@name")), refresh,
                 csp.read_policy(text))


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)  # page paths to ask again


class Verifier:
    """The checks against one live address (``base``: the site's root, with its path)."""

    def __init__(self, base: str, published: list[str], site_dir: Path | None = None,
                 headers: bool = False):
        self.base = base.rstrip("/") + "/"
        self.pages: dict[str, set[str]] = {}
        for link in published:
            path, anchor = urls.split(link)
            self.pages.setdefault(path, set()).update({anchor} if anchor else set())
        self.site_dir = site_dir
        self.headers = headers
        self.sent_headers = False  # whether the host sends security headers at all
        self.notes: list[str] = []

    def url(self, path: str) -> str:
        return self.base + path.lstrip("/")

    def check_page(self, path: str) -> tuple[list[str], list[str]]:
        """What is wrong with one published page, and what is wrong with the headers it came
        with (the same on every page when the server's configuration is wrong: said once)."""
        anchors = set(self.pages[path])
        url = self.url(path)
        answer = fetch(url)
        hops = 0
        while answer.status in PERMANENT + (302, 303, 307) and hops < 5:
            if answer.status not in PERMANENT:
                return [f"{path}: en midlertidig omdirigering ({answer.status}); et udgivet link "
                        "skal flyttes permanent (301)"], []
            location = answer.headers.get("Location", "")
            url = urljoin(url, location)
            anchors = {urlsplit(url).fragment} if urlsplit(url).fragment else anchors
            answer, hops = fetch(url.split("#")[0]), hops + 1
        if answer.status != 200:
            return [f"{path}: {_status(answer)}" + (f" (efter omdirigering til {url})" if hops
                                                    else "")], []
        page = _read(answer.body)
        shared = self._headers(answer, page)
        problems: list[str] = []
        if page.refresh:  # a redirect page (hosts without real redirects): where it leads
            url = urljoin(url, page.refresh)
            anchors = {urlsplit(url).fragment} if urlsplit(url).fragment else anchors
            answer = fetch(url.split("#")[0])
            if answer.status != 200:
                return [f"{path}: leder videre til {url}, som {_status(answer)}"], shared
            page = _read(answer.body)
        problems += [f"{path}#{a}: ankeret findes ikke på siden"
                     for a in sorted(anchors - page.ids)]
        if page.policy is None:
            problems.append(f"{path}: siden har ingen Content-Security-Policy (meta-tag)")
        problems += self._same_build(path, answer)
        return problems, shared

    def _headers(self, answer: Answer, page: _Page) -> list[str]:
        sent = [name for name in REQUIRED_HEADERS if answer.headers.get(name)]
        if sent:
            self.sent_headers = True
        if not sent and not self.headers:
            return []
        problems = [f"headeren {name} mangler" for name in REQUIRED_HEADERS if name not in sent]
        header = answer.headers.get("Content-Security-Policy")
        if header:
            policy = csp.parse(header)
            if "'none'" not in policy.get("frame-ancestors", ()):
                problems.append("CSP-headeren mangler frame-ancestors 'none'")
            for name in ("script-src", "style-src"):
                missing = set((page.policy or {}).get(name, ())) - set(policy.get(name, ()))
                if missing:
                    problems.append(f"CSP-headeren tillader ikke {name} "
                                    f"{' '.join(sorted(missing))}, som siden bruger: "
                                    "serverens opsætning er ældre end sitet. Lav den igen "
                                    "(kvalitet host nginx/caddy), og genindlæs serveren")
        if answer.headers.get("X-Content-Type-Options", "nosniff").lower() != "nosniff":
            problems.append("X-Content-Type-Options skal være nosniff")
        return problems

    def _same_build(self, path: str, answer: Answer) -> list[str]:
        if self.site_dir is None or not answer.url.startswith(self.base):
            return []
        local = self.site_dir / urls.static_src_uri("/" + answer.url[len(self.base):])
        if local.is_file() and local.read_bytes() != answer.body:
            return [f"{path}: siden er endnu ikke den nye bygning ({self.site_dir})"]
        return []

    def check_site(self) -> list[str]:
        """The sitemap, the search index and the 404 page."""
        problems = []
        sitemap = fetch(self.url("/sitemap.xml"))
        try:
            listed = ElementTree.fromstring(sitemap.body) if sitemap.status == 200 else None
        except ElementTree.ParseError:
            listed = None
        if listed is None or not listed.tag.endswith("urlset"):
            what = _status(sitemap) if sitemap.status != 200 else "er ikke et sitemap"
            problems.append(f"sitemap.xml: {what}")
        elif not len(listed):
            self.notes.append("sitemap.xml er tom: MkDocs skriver kun adresserne i den, når "
                              "site_url står i content/municipality.yaml.")
        for name in ("pagefind/pagefind.js", "pagefind/pagefind-entry.json"):
            answer = fetch(self.url("/" + name))
            if answer.status != 200:
                problems.append(f"søgningen: {name} {_status(answer)}")
            elif name.endswith(".json"):
                try:
                    json.loads(answer.body)
                except ValueError:
                    problems.append(f"søgningen: {name} er ikke JSON")
        unknown = f"/kvalitet-verify-{secrets.token_hex(4)}/"
        answer = fetch(self.url(unknown))
        if answer.status != 404:
            problems.append(f"{unknown} (findes ikke): {_status(answer)}, ikke 404")
        elif b"<html" not in answer.body.lower():
            problems.append(f"{unknown} (findes ikke): 404 uden sitets fejlside")
        else:
            problems += [f"{unknown} (findes ikke): {message}"
                         for message in self._headers(answer, _read(answer.body))]
        return problems

    def round(self, paths: list[str]) -> Report:
        report = Report()
        shared: dict[str, list[str]] = {}
        with ThreadPoolExecutor(WORKERS) as pool:
            for path, (problems, said) in zip(paths, pool.map(self.check_page, paths),
                                              strict=True):
                if problems or said:
                    report.failed.add(path)
                report.problems += problems
                for message in said:
                    shared.setdefault(message, []).append(path)
        for message, where in shared.items():
            report.problems.append(f"{where[0]}: {message}" if len(where) == 1 else
                                   f"{message} ({len(where)} sider, fx {where[0]})")
        report.problems += self.check_site()
        report.notes, self.notes = self.notes, []
        if not self.sent_headers:
            report.notes.append("Værten sender ingen sikkerhedsheadere (som GitHub Pages og "
                                "GitLab.com); hver side har sin CSP i et meta-tag.")
        return report


def verify(base: str, published: list[str], site_dir: Path | None = None, headers: bool = False,
           wait: float = 0, say: Callable[[str], None] = print) -> Report:
    """Check the live site at ``base`` until it passes or ``wait`` seconds are over."""
    checker = Verifier(base, published, site_dir, headers)
    paths = sorted(checker.pages)
    say(f"Tjekker {checker.base}: {len(published)} udgivne adresser på {len(paths)} sider.")
    deadline = time.monotonic() + wait
    attempt = 1
    while True:
        report = checker.round(paths)
        if not report.problems or time.monotonic() + PAUSE > deadline:
            return report
        say(f"Forsøg {attempt}: {len(report.problems)} fejl, fx {report.problems[0]}. "
            f"Prøver igen om {PAUSE} s.")
        time.sleep(PAUSE)
        attempt += 1
        paths = sorted(report.failed)  # the pages that answered stay answered
