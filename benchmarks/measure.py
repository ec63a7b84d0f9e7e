"""Measurements: timed MkDocs builds, the bare comparison site, first-load weight, serve rebuild."""

from __future__ import annotations

import gzip
import json
import os
import platform
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE_PARTS = ("mkdocs.yml", "hooks", "overrides", "docs")  # as tests/helpers.make_project
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PREVIEW_BUILT = re.compile(r"Siden er opdateret på ([0-9]+,[0-9]+) s")


def copy_engine(dest: Path) -> Path:
    """A project folder holding this repository's engine parts (content is added separately)."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in ENGINE_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"),
                            dirs_exist_ok=True)
        else:
            shutil.copy(src, dest / part)
    return dest


def build(config: Path, out: Path) -> float:
    """One ``mkdocs build --strict`` (never with -q or -v); its wall time in seconds."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                             str(config), "-d", str(out)], capture_output=True, text=True,
                            env=ENV, cwd=config.parent)
    seconds = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"build of {config} failed:\n{result.stdout}{result.stderr}")
    return seconds


def timed_builds(configs: dict[str, tuple[Path, Path]], repeat: int) -> dict[str, float]:
    """The median wall time of ``repeat`` builds of each config (runs interleaved, so that a
    slow moment of the machine does not favour one of them)."""
    times: dict[str, list[float]] = {name: [] for name in configs}
    for _ in range(repeat):
        for name, (config, out) in configs.items():
            times[name].append(build(config, out))
    return {name: statistics.median(t) for name, t in times.items()}


def bare_site(project: Path, dest: Path) -> Path:
    """A plain mkdocs-material site with the same pages and words as ``project``: the Markdown
    the engine generates, written to a docs folder, the same theme settings, no hook and a lean
    navigation (front page, offers, glossary, standards). Returns its mkdocs.yml."""
    import yaml

    from kvalitet import urls
    from kvalitet.build import build_site

    built = build_site(project)
    docs = dest / "docs"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(project / "docs", docs)
    for page, markdown in zip(built.pages, built.markdown, strict=True):
        path = docs / urls.src_uri(page.url)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(markdown, "utf-8")
    for static in built.static:
        path = docs / urls.static_src_uri(static.url)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(static.content, "utf-8")
    nav = [{"Forside": "index.md"}]
    nav += [{p.title: urls.src_uri(p.url)} for p in built.pages if p.template == "standard.md.j2"]
    nav += [{p.title: urls.src_uri(p.url)} for p in built.pages
            if p.template in ("offers.md.j2", "glossary.md.j2")]
    listed = {list(item.values())[0] for item in nav}
    config = yaml.safe_load((project / "mkdocs.yml").read_text("utf-8"))
    for key in ("hooks", "watch"):
        config.pop(key, None)
    config["theme"].pop("custom_dir", None)  # the overrides need the hook's data
    config["nav"] = nav
    config["not_in_nav"] = "\n".join(urls.src_uri(p.url) for p in built.pages
                                     if urls.src_uri(p.url) not in listed)
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                     "utf-8")
    return dest / "mkdocs.yml"


class _Assets(HTMLParser):
    """The stylesheets, scripts and theme configuration a page loads."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []
        self.config: str | None = None
        self._in_config = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.files.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.files.append(a["src"])
        self._in_config = tag == "script" and a.get("id") == "__config"

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config = data
            self._in_config = False


def gz(path: Path) -> int:
    """The ``gzip -9`` size of a file, in bytes."""
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def first_load(site: Path, url: str) -> float:
    """KB a browser fetches to show the page: gzipped HTML and every stylesheet and script its
    tags load (the Pagefind search loads its files only when the search field is used)."""
    page = site / url.strip("/") / "index.html"
    parser = _Assets()
    parser.feed(page.read_text("utf-8"))
    files = [(page.parent / f.split("?")[0]).resolve() for f in parser.files
             if "://" not in f]
    return (gz(page) + sum(gz(f) for f in dict.fromkeys(files))) / 1024


def html_pages(site: Path) -> int:
    """The number of HTML files a build wrote."""
    return sum(1 for _ in site.rglob("*.html"))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_rebuilds(project: Path, edit: Path, repeat: int, log: Path) -> list[tuple[float, float]]:
    """Start the editors' preview (``kvalitet serve``) on ``project``, edit the YAML file
    ``edit`` ``repeat`` times, and return per edit (the build time the preview prints, seconds
    from the save until a page open in a browser would be told to reload: the preview's status
    address answers with a new build number). Its output goes to ``log``; a failed rebuild
    raises RuntimeError."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kvalitet.cli", "--root", str(project),
                             "serve", "--port", str(port)], cwd=project, env=ENV, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: queue.Queue[str] = queue.Queue()
    seen: list[str] = []
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()
    status = f"http://127.0.0.1:{port}/_kvalitet/status"

    def next_build(deadline: float) -> float:
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                continue
            seen.append(line)
            if found := PREVIEW_BUILT.search(line):
                return float(found.group(1).replace(",", "."))
            if "fejl" in line and line.startswith("["):
                raise RuntimeError(f"the rebuild failed: {line.strip()} (see {log})")
        raise RuntimeError(f"the preview printed no build within the time (see {log})")

    def version() -> int:
        with urllib.request.urlopen(status, timeout=5) as answer:
            return json.loads(answer.read())["version"]

    original = edit.read_text("utf-8")
    try:
        next_build(time.monotonic() + 120)
        results = []
        for i in range(repeat):
            time.sleep(1.0)
            before = version()
            changed = re.sub(r"^title: (?![>|'\"])", f"title: Ændret {i} ", original, count=1,
                             flags=re.M)
            edit.write_text(changed if changed != original else f"{original}# ændret {i}\n",
                            "utf-8")
            saved = time.monotonic()
            with urllib.request.urlopen(f"{status}?v={before}", timeout=60) as answer:
                answer.read()  # answers as soon as the new build is ready (a browser reloads)
            shown = time.monotonic() - saved
            results.append((next_build(saved + 60), shown))
        return results
    finally:
        edit.write_text(original, "utf-8")
        proc.terminate()
        proc.wait(timeout=30)
        log.write_text("".join(seen), "utf-8")


def machine() -> str:
    """CPU model, cores, Python, MkDocs and mkdocs-material versions."""
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{cpu}, {os.cpu_count()} cores (load average {load}); Python "
            f"{platform.python_version()}, MkDocs {version('mkdocs')}, mkdocs-material "
            f"{version('mkdocs-material')}")
