"""What a web host needs besides the pages, made from the content and the built site.

One source for every host: the moved addresses of ``content/redirects.yaml`` (a renamed id or a
moved page; a former section id is an ``#anchor`` that the page itself still carries, which no
server ever sees), the Content-Security-Policy the pages were sealed with (``outputs.csp``), and
the files whose names carry a hash of their content (cached for a year). From them:

- ``_redirects`` (Netlify, Cloudflare Pages, GitLab Pages), ``_headers`` (Netlify, Cloudflare
  Pages) and ``staticwebapp.config.json`` (Azure Static Web Apps), written into the built site by
  every build (``finish``);
- an nginx ``server`` block and a Caddy site block (``nginx``, ``caddy``: ``kvalitet host``) for
  plain HTTP behind the municipality's TLS terminator.

Paths carry the site's base path (the path of ``site_url``: a GitHub or GitLab project site lives
under ``/<project>/``, and GitLab's ``_redirects`` wants it in every rule).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kvalitet import urls
from kvalitet.content.load import Site
from kvalitet.outputs import csp

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"  # every other file: asked again each time (a 304 when unchanged)
# A file whose name carries a hash of its content: Material's main.57a0d79d.min.css, Pagefind's
# fragment/da_1ffb6c8.pf_fragment and pagefind.da_7433cee25b.pf_meta. The same pattern in the
# nginx and Caddy blocks, so they stay right when the next build brings new names.
FINGERPRINT = r"[._][0-9a-f]{7,}\.(min\.)?(css|js|pf_meta|pf_fragment|pf_index)(\.map)?$"
PERMISSIONS = ("accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
               "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
               "browsing-topics=()")
HOST_FILES = ("_redirects", "_headers", "staticwebapp.config.json")
# Characters of a site path that every host's configuration takes as they are (the content
# model allows no other in a path; an #anchor is an id).
_PLAIN = re.compile(r"^/[A-Za-z0-9/._~-]*(#[A-Za-z0-9._~-]+)?$")


class HostError(ValueError):
    """The content or the built site cannot be served as asked (the message says why)."""


@dataclass(frozen=True)
class Plan:
    """What every host configuration is made from."""

    name: str  # the municipality, for the comments
    site_dir: Path
    base: str  # "/" or "/<project>/"
    host: str | None  # the host name of site_url
    redirects: list[tuple[str, str]]  # (old address, new address), base included
    policy: csp.Policy  # the union of the pages' policies

    def headers(self) -> dict[str, str]:
        """The security headers every response carries."""
        return {
            "Content-Security-Policy": self.policy.text(header=True),
            "Strict-Transport-Security": "max-age=31536000",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": csp.REFERRER,
            "Permissions-Policy": PERMISSIONS,
            "X-Frame-Options": "DENY",
            "Cross-Origin-Opener-Policy": "same-origin",
        }


def base_path(site: Site) -> str:
    url = site.municipality.site_url
    path = urlsplit(str(url)).path if url else "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def _plain(url: str) -> str:
    if not _PLAIN.match(url):
        raise HostError(f"{url}: a host's configuration cannot hold this address as it is")
    return url


def plan(site: Site, site_dir: Path, policy: csp.Policy | None = None) -> Plan:
    """The plan for the site built in ``site_dir`` from ``site`` (the pages' policies are read
    from the pages unless given)."""
    base = base_path(site)
    moved = [(_plain(base + r.from_.lstrip("/")), _plain(base + r.to.lstrip("/")))
             for r in site.redirects.redirects]
    url = site.municipality.site_url
    return Plan(site.municipality.name, site_dir, base, urlsplit(str(url)).hostname if url
                else None, moved, policy if policy is not None else site_policy(site_dir))


def site_policy(site_dir: Path) -> csp.Policy:
    """The union of the policies the built pages carry (what a header must allow)."""
    return csp.Policy.union(page_policy(f.read_text("utf-8")) for f in site_dir.rglob("*.html"))


def page_policy(html: str) -> csp.Policy:
    """The hashes of the policy a sealed page carries (none when it carries no policy)."""
    found = csp.read_policy(html)
    if not found:
        return csp.Policy()
    return csp.Policy(frozenset(s for s in found.get("script-src", ()) if s.startswith("'sha")),
                      frozenset(s for s in found.get("style-src", ()) if s.startswith("'sha")))


def fingerprinted(site_dir: Path) -> list[str]:
    """Site paths (base not included) of what may be cached for a year: ``/dir/*`` for a folder
    that holds nothing else, else the files one by one."""
    pattern = re.compile(FINGERPRINT)
    found: list[str] = []

    def walk(folder: Path) -> bool:  # whether everything under folder is fingerprinted
        inside: list[str] = []
        whole = True
        for entry in sorted(folder.iterdir()):
            path = "/" + entry.relative_to(site_dir).as_posix()
            if entry.is_dir():
                mark = len(found)
                if walk(entry):
                    del found[mark:]
                    inside.append(path + "/*")
                else:
                    whole = False
            elif pattern.search(entry.name):
                inside.append(path)
            else:
                whole = False
        found.extend(inside)
        return whole and bool(inside)

    if walk(site_dir):  # never the whole site: its pages change
        found[:] = []
    return sorted(found)


# --- files in the built site ---------------------------------------------------------------------

def redirects_file(plan: Plan) -> str:
    """``_redirects``: one ``from to 301`` line per moved address (no comments: GitLab Pages
    reads a comment after a rule as part of it)."""
    return "".join(f"{old} {new} 301\n" for old, new in plan.redirects)


def headers_file(plan: Plan, cached: list[str]) -> str:
    """``_headers``: the security headers on every path, a year's caching for fingerprinted
    files (never Cache-Control on ``/*``: Netlify joins the values of every matching rule)."""
    lines = [f"{plan.base}*"] + [f"  {k}: {v}" for k, v in plan.headers().items()]
    for path in cached:
        lines += [plan.base + path.lstrip("/"), f"  Cache-Control: {IMMUTABLE}"]
    return "\n".join(lines) + "\n"


def azure_file(plan: Plan, cached: list[str]) -> str:
    """``staticwebapp.config.json`` for Azure Static Web Apps."""
    routes = [{"route": old, "redirect": new, "statusCode": 301} for old, new in plan.redirects]
    routes += [{"route": plan.base + path.lstrip("/"), "headers": {"Cache-Control": IMMUTABLE}}
               for path in cached]
    config = {
        "routes": routes,
        "responseOverrides": {"404": {"rewrite": plan.base + "404.html"}},
        "globalHeaders": plan.headers(),
        # Pagefind's index files: served as data, whatever the host guesses for the names.
        "mimeTypes": {ext: "application/octet-stream"
                      for ext in (".pagefind", ".pf_meta", ".pf_index", ".pf_fragment")},
    }
    return json.dumps(config, indent=2, ensure_ascii=False) + "\n"


def write_files(plan: Plan) -> None:
    cached = fingerprinted(plan.site_dir)
    (plan.site_dir / "_redirects").write_text(redirects_file(plan), "utf-8")
    (plan.site_dir / "_headers").write_text(headers_file(plan, cached), "utf-8")
    (plan.site_dir / "staticwebapp.config.json").write_text(azure_file(plan, cached), "utf-8")


def finish(site: Site, site_dir: Path, files: list[Path] | None = None,
           sealed: csp.Policy | None = None) -> list[str]:
    """After a build: seal the pages with their CSP (only ``files`` when given) and write the
    hosts' files. Returns what the CSP would block (see ``csp.seal_site``). ``sealed``: the
    union of the policies of every other page, sealed already (the MkDocs hook seals each page
    as it is written); without it, the policies are read from the pages."""
    policy, problems = csp.seal_site(site_dir, files)
    if sealed is not None:
        policy |= sealed
    write_files(plan(site, site_dir, policy if files is None or sealed is not None else None))
    return problems


def make_readable(folder: Path) -> None:
    """Folders 755 and files 644, whatever the umask and ``mkdtemp`` (0700) made: a web
    server's user must read the published site, and ``rsync -a`` copies the modes."""
    os.chmod(folder, 0o755)
    for parent, dirs, files in os.walk(folder):
        for name in dirs:
            os.chmod(os.path.join(parent, name), 0o755)
        for name in files:
            os.chmod(os.path.join(parent, name), 0o644)


def drop_redirect_pages(site: Site, site_dir: Path) -> list[Path]:
    """Remove the HTML pages at moved addresses, for hosts that answer them with a real 301
    from ``_redirects`` but serve a file first when one exists (GitLab Pages, Netlify)."""
    dropped = []
    for redirect in site.redirects.redirects:
        page = site_dir / urls.static_src_uri(redirect.from_)
        if page.is_file():
            page.unlink()
            dropped.append(page)
            folder = page.parent
            while folder != site_dir and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
    return dropped


# --- server configuration ------------------------------------------------------------------------

def _listen(listen: str) -> tuple[str | None, int]:
    address, _, port = listen.rpartition(":")
    if not port.isdigit():
        raise HostError(f'"{listen}" is not a port or address:port (e.g. 8080, 127.0.0.1:8080)')
    return address or None, int(port)


def _served_at_root(plan: Plan) -> None:
    if plan.base != "/":
        raise HostError(f"site_url puts the site under {plan.base}: serve it at the root of its "
                        "own host name (e.g. https://kvalitet.kommune.dk/) to use this block")


def _header_comment(plan: Plan, server: str) -> list[str]:
    where = f"https://{plan.host}/" if plan.host else "the site's address"
    return [
        f"# {plan.name}: kvalitetsstandarder. {server} configuration from `kvalitet host`,",
        f"# made from the site built in {plan.site_dir} on {dt.date.today().isoformat()}.",
        "#",
        "# Plain HTTP behind the municipality's TLS terminator (the load balancer or reverse",
        f"# proxy that holds the certificate and forwards {where} here): TLS is",
        "# configured there, not here. Strict-Transport-Security is sent from here and reaches",
        "# browsers over HTTPS. Every address answers relatively (Location: /new/), so redirects",
        "# stay on https.",
        "# The Content-Security-Policy holds hashes of the pages' inline code: make this block",
        "# again and reload the server when the theme changes (`kvalitet verify` says when it",
        "# is stale). Redirects come from content/redirects.yaml: make it again when it changes.",
    ]


def nginx(plan: Plan, listen: str = "80") -> str:
    """An nginx ``server`` block (for the ``http`` block of nginx.conf, which includes
    mime.types, as Debian's does)."""
    _served_at_root(plan)
    _listen(listen)
    headers = [f'add_header {k} "{v}" always;' for k, v in plan.headers().items()]
    lines = _header_comment(plan, "nginx") + [
        "server {",
        f"    listen {listen};",
        f"    server_name {plan.host or '_'};",
        f"    root {plan.site_dir.resolve()};",
        "    index index.html;",
        "    charset utf-8;",
        "    server_tokens off;",
        "    absolute_redirect off;",
        "    gzip on;",
        "    gzip_vary on;",
        "    gzip_types text/css application/javascript application/json application/xml "
        "image/svg+xml;",
        "    error_page 404 /404.html;",
        "",
        *(f"    {h}" for h in headers),
        f'    add_header Cache-Control "{REVALIDATE}" always;',
        "",
        "    location / {",
        "    }",
        "    # Named after their content: cached for a year. (add_header here replaces the",
        "    # server's, so the security headers are repeated.)",
        f'    location ~ "{FINGERPRINT}" {{',
        *(f"        {h}" for h in headers),
        f'        add_header Cache-Control "{IMMUTABLE}" always;',
        "    }",
        "    # Other hosts' files: not pages of the site.",
        *(f"    location = /{name} {{ return 404; }}" for name in HOST_FILES),
    ]
    if plan.redirects:
        lines += ["    # Moved pages (content/redirects.yaml): a real 301; the browser keeps the",
                  "    # #anchor unless the new address names its own."]
        lines += [f'    location = {old} {{ return 301 "{new}"; }}' for old, new in plan.redirects]
    lines.append("}")
    return "\n".join(lines) + "\n"


def caddy(plan: Plan, listen: str = "80") -> str:
    """A Caddy (v2) site block, answering any host name on the port."""
    _served_at_root(plan)
    address, port = _listen(listen)
    headers = ["    header {", *(f'        {k} "{v}"' for k, v in plan.headers().items()),
               "        -Server", "    }"]
    lines = _header_comment(plan, "Caddy") + [
        "# To share the port with other sites, write the host name before the port:",
        f"# http://{plan.host or 'kvalitet.kommune.dk'}:{port} {{",
        f"http://:{port} {{",
        *([f"    bind {address}"] if address else []),
        f"    root * {plan.site_dir.resolve()}",
        "    encode gzip",
        *headers,
        "    # Named after their content: cached for a year. (Caddy runs a header directive",
        "    # without a matcher last, so each Cache-Control has its own.)",
        f'    @fingerprinted path_regexp "{FINGERPRINT}"',
        f'    header @fingerprinted Cache-Control "{IMMUTABLE}"',
        f'    @other not path_regexp "{FINGERPRINT}"',
        f'    header @other Cache-Control "{REVALIDATE}"',
        f"    @hostfiles path {' '.join('/' + name for name in HOST_FILES)}",
        "    error @hostfiles 404",
    ]
    if plan.redirects:
        lines.append("    # Moved pages (content/redirects.yaml)")
        lines += [f"    redir {old} {new} permanent" for old, new in plan.redirects]
    lines += [
        "    file_server",
        "    # An error answer starts afresh: the site's 404 page, with the same headers.",
        "    handle_errors {",
        *("    " + line for line in headers),
        "        @notfound expression {err.status_code} == 404",
        "        handle @notfound {",
        "            rewrite * /404.html",
        "            file_server",
        "        }",
        "    }",
        "}",
    ]
    return "\n".join(lines) + "\n"
