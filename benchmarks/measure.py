"""Measurements: timed builds and their peak memory, the bare comparison site, page weight."""

from __future__ import annotations

import gzip
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE_PARTS = ("mkdocs.yml", "hooks", "overrides", "docs")  # as tests/helpers.make_project
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


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


PEAK_MB: dict[str, float] = {}  # the highest peak memory seen per measured name


def measured(command: list[str], cwd: Path, env: dict | None = None, name: str = ""
             ) -> tuple[float, float, str]:
    """Run ``command``; return its wall time in seconds, its peak memory in MB (the largest
    resident size of the process and the processes it waited for, from wait4) and its output.
    Raises SystemExit when it fails."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env or ENV, stdout=out,
                                stderr=subprocess.STDOUT, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if proc.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{text}")
    peak = usage.ru_maxrss / 1024
    if name:
        PEAK_MB[name] = max(PEAK_MB.get(name, 0.0), peak)
    return seconds, peak, text


def build(config: Path, out: Path, name: str = "") -> float:
    """One ``mkdocs build --strict`` (never with -q or -v); its wall time in seconds (its peak
    memory goes to ``PEAK_MB[name]``)."""
    return measured([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config),
                     "-d", str(out)], config.parent, name=name)[0]


def timed_builds(configs: dict[str, tuple[Path, Path]], repeat: int) -> dict[str, float]:
    """The median wall time of ``repeat`` builds of each config (runs interleaved, so that a
    slow moment of the machine does not favour one of them); the peak memory of each goes to
    ``PEAK_MB`` under the config's name and folder."""
    times: dict[str, list[float]] = {name: [] for name in configs}
    for _ in range(repeat):
        for name, (config, out) in configs.items():
            times[name].append(build(config, out, f"{name} {config.parent}"))
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
