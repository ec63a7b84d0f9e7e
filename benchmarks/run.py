"""Benchmark: build time at several content sizes against a bare mkdocs-material site built in
the same run, page weight, the preview at the largest size (its start, and the time from a save
until the page shows the new words), the publishing build with its PDFs, peak memory, and the
shipped site (issues "Fast at any size" and "A real municipality's size").

Run from the project folder: ``.venv/bin/python benchmarks/run.py [--sizes 1 10 20 40]
[--repeat 3] [--profile 40]``. Not a test: it prints a report and exits 0 even when a goal is not
met. Generated content and builds go to benchmarks/out/ (gitignored).
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402
import preview  # noqa: E402
import synth  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
GOALS = {"ratio": 1.5, "growth": 4.4, "standard_kb": 120, "question_kb": 100, "shipped_s": 2.0,
         "serve_s": 1.0, "save_s": 1.0, "start_s": 15.0}


@dataclass
class Row:
    """The measurements of one content size."""

    standards: int
    pages: int
    project_s: float
    bare_s: float
    index_kb: float
    standard_kb: float
    question_kb: float
    peak_mb: float = 0.0
    bare_peak_mb: float = 0.0
    growth: float | None = None


def prepare(size: int, out: Path) -> Path:
    """A project with ``size`` synthetic standards: engine parts copied, content generated, the
    published-links lock updated and the content loaded (so it passes ``kvalitet check``)."""
    from kvalitet.build import checked_site

    project = out / "project"
    shutil.rmtree(project, ignore_errors=True)
    measure.copy_engine(project)
    synth.write_content(project, size)
    subprocess.run([sys.executable, "-m", "kvalitet.cli", "--root", str(project), "links",
                    "--update"], check=True, capture_output=True, env=measure.ENV)
    checked_site(project)  # raises ContentError if the generated content is not valid
    return project


def sample_pages(project: Path) -> tuple[str, str]:
    """The first standard's page and its guide's first question page (site paths)."""
    from kvalitet import urls
    from kvalitet.build import checked_site

    std = next(s for s in checked_site(project).standards if s.guide)
    return urls.standard(std.id), urls.guide_node(std.id, std.guide.start)


def measure_size(size: int, repeat: int) -> Row:
    """Generate, build (project and bare, ``repeat`` times each) and weigh one size."""
    out = OUT / f"size-{size}"
    project = prepare(size, out)
    bare = measure.bare_site(project, out / "bare")
    site, bare_out = out / "site", out / "bare-site"
    times = measure.timed_builds({"project": (project / "mkdocs.yml", site),
                                  "bare": (bare, bare_out)}, repeat)
    standard, question = sample_pages(project)
    return Row(size, measure.html_pages(site), times["project"], times["bare"],
               sum(f.stat().st_size for f in (site / "pagefind").rglob("*") if f.is_file())
               / 1024,
               measure.first_load(site, standard), measure.first_load(site, question),
               measure.PEAK_MB[f"project {project}"], measure.PEAK_MB[f"bare {bare.parent}"])


def measure_versions(counts: list[int], repeat: int, standards: int = 10) -> list[tuple]:
    """Build time of ``standards`` synthetic standards with each number of earlier editions:
    (editions per standard, pages, seconds, milliseconds per page)."""
    found = []
    for count in counts:
        out = OUT / f"versions-{count}"
        project = prepare(standards, out)
        synth.write_versions(project, count)
        subprocess.run([sys.executable, "-m", "kvalitet.cli", "--root", str(project), "links",
                        "--update"], check=True, capture_output=True, env=measure.ENV)
        site = out / "site"
        seconds = measure.timed_builds({"project": (project / "mkdocs.yml", site)},
                                       repeat)["project"]
        pages = measure.html_pages(site)
        found.append((count, pages, seconds, 1000 * seconds / pages))
    return found


def pdf_figures(repeat: int) -> list[tuple[str, int, int, float]]:
    """Seconds (median), pages and bytes of the shipped standard's PDF, and of a synthetic
    standard 10 times as long (its sections ten times over)."""
    import statistics
    import tempfile

    from kvalitet.build import checked_site
    from kvalitet.outputs import pdf

    site = checked_site(measure.ROOT)
    std = site.standards[0]
    longer = std.standard.model_copy(update={"sections": [
        s.model_copy(update={"id": f"{s.id}-{k}", "subsections": [
            u.model_copy(update={"id": f"{u.id}-{k}"}) for u in s.subsections]})
        for k in range(10) for s in std.standard.sections]})
    found = []
    folder = Path(tempfile.mkdtemp())
    for name, content in (("shipped standard", std),
                          ("10x as long", type(std)(**{**std.__dict__, "standard": longer}))):
        html = pdf.document_html(site, content, None)
        target = folder / "x.pdf"
        times = []
        for _ in range(repeat):
            started = time.monotonic()
            pages = pdf.render_pdf(html, target, str(measure.ROOT))
            times.append(time.monotonic() - started)
        found.append((name, pages, target.stat().st_size, statistics.median(times)))
    shutil.rmtree(folder, ignore_errors=True)
    return found


BEFORE = "5ab88bb"  # the last commit with lunr search and Material's own page frame


def generator_times(repeat: int) -> list[tuple[str, float]]:
    """The shipped site's build under each generator path (median seconds): MkDocs with the
    hook, and the plain export under MkDocs, ProperDocs and Zensical (cold with --clean, and
    with its cache)."""
    import os
    import statistics

    export = OUT / "export"
    subprocess.run([sys.executable, "-m", "kvalitet.cli", "--root", str(measure.ROOT), "export",
                    str(export)], check=True, capture_output=True, env=measure.ENV)
    env = {**measure.ENV, "PYTHONPATH": str(measure.ROOT), "DISABLE_MKDOCS_2_WARNING": "true"}
    tools = measure.ROOT / ".tools"
    paths = {
        "MkDocs, hook": ([sys.executable, "-m", "mkdocs", "build", "--strict", "-d",
                          str(OUT / "g-hook")], measure.ROOT),
        "MkDocs, export": ([sys.executable, "-m", "mkdocs", "build", "--strict", "-d",
                            str(OUT / "g-mkdocs")], export),
        "ProperDocs, export": ([str(tools / "properdocs/bin/properdocs"), "build", "--strict",
                                "-f", "mkdocs.yml", "-d", str(OUT / "g-proper")], export),
        "Zensical, export, --clean": ([str(tools / "zensical/bin/zensical"), "build", "--clean",
                                       "-f", "mkdocs.yml"], export),
        "Zensical, export, cached": ([str(tools / "zensical/bin/zensical"), "build", "-f",
                                      "mkdocs.yml"], export),
    }
    found = []
    for name, (command, cwd) in paths.items():
        if not Path(command[0]).exists():
            found.append((name, float("nan")))
            continue
        times = []
        for _ in range(repeat):
            started = time.monotonic()
            subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
            times.append(time.monotonic() - started)
        found.append((name, statistics.median(times)))
    os.environ.pop("KVALITET_PDFS", None)
    return found


def first_loads(repeat: int, before: str) -> dict[str, dict]:
    """The shipped standard page's first load over slow 4G, now and at commit ``before`` (built
    from a git worktree of that commit with this environment)."""
    import firstload

    url = "/aktivitets-og-samvaerstilbud/"
    now = OUT / "firstload-now"
    measure.build(measure.ROOT / "mkdocs.yml", now)
    found = {"now": firstload.measure(now, url, repeat)}
    tree = OUT / "before-tree"
    shutil.rmtree(tree, ignore_errors=True)
    subprocess.run(["git", "worktree", "prune"], cwd=measure.ROOT, capture_output=True)
    added = subprocess.run(["git", "worktree", "add", "--force", "--detach", str(tree), before],
                           cwd=measure.ROOT, capture_output=True, text=True)
    if added.returncode == 0:
        try:
            old = OUT / "firstload-before"
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(old)], cwd=tree,
                           env={**measure.ENV, "PYTHONPATH": str(tree)}, check=True,
                           capture_output=True)
            found[f"before ({before})"] = firstload.measure(old, url, repeat)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)],
                           cwd=measure.ROOT, capture_output=True)
    return found


def add_growth(rows: list[Row]) -> None:
    """Growth per doubling: t(n) / t(m) for the next smaller size m run, normalised to one
    doubling as (t(n) / t(m)) ** (1 / log2(n / m)); exactly t(n) / t(n/2) when n = 2m."""
    for prev, row in zip(rows, rows[1:], strict=False):
        doublings = math.log2(row.standards / prev.standards)
        row.growth = (row.project_s / prev.project_s) ** (1 / doublings)


def shipped(repeat: int, edits: int) -> dict:
    """The repository's own site: whole build (median), first-load weights, the preview after
    a section's text is saved."""
    import statistics

    out = OUT / "shipped"
    site = out / "site"
    seconds = statistics.median(measure.build(measure.ROOT / "mkdocs.yml", site)
                                for _ in range(repeat))
    standard, question = sample_pages(measure.ROOT)
    project = out / "serve-project"
    shutil.rmtree(project, ignore_errors=True)
    measure.copy_engine(project)
    shutil.copytree(measure.ROOT / "content", project / "content")
    shutil.copy(measure.ROOT / "offers.yaml", project / "offers.yaml")
    result = {"build_s": seconds, "pages": measure.html_pages(site),
              "standard_kb": measure.first_load(site, standard),
              "question_kb": measure.first_load(site, question),
              "standard": standard, "question": question}
    kinds = preview.edits(project)
    section = "a section's text"
    figures = preview.measure(project, {section: kinds[section]}, edits, out / "serve.log")
    result["serve_error"] = figures.error
    if not figures.error:
        result["serve_s"] = statistics.median(figures.printed[section])
        result["serve_wall_s"] = figures.median(section)
    return result


def preview_at(size: int, repeat: int) -> preview.Figures:
    """The preview on the synthetic project of ``size`` standards: its start and every kind of
    save (``preview.edits``), ``repeat`` times each."""
    project = OUT / f"size-{size}" / "project"
    return preview.measure(project, preview.edits(project), repeat,
                           OUT / f"size-{size}" / "preview.log")


def publish_at(size: int) -> list[tuple[str, float, float, str]]:
    """``kvalitet build`` (PDFs, then the strict build swapped into site/) on the synthetic
    project of ``size`` standards: with no PDF made before, again with nothing changed, and
    after one section of one standard changed. (what, seconds, peak MB, what it printed)."""
    project = OUT / f"size-{size}" / "project"
    shutil.rmtree(project / ".kvalitet-cache", ignore_errors=True)
    command = [sys.executable, "-m", "kvalitet.cli", "--root", str(project), "build"]
    found = []
    edit = project / "content/standards" / sorted((project / "content/standards").iterdir())[
        0].name / "standard.yaml"
    original = edit.read_text("utf-8")
    try:
        for what in ("no PDF made before", "nothing changed", "one section changed"):
            if what == "one section changed":
                edit.write_text(preview._insert(r"^ *body: \|\n\s+", original, "Ændret "),
                                "utf-8")
            seconds, peak, text = measure.measured(command, project, name=f"publish {what}")
            made = next((ln for ln in text.splitlines() if "PDF'er" in ln), "")
            found.append((what, seconds, peak, made))
    finally:
        edit.write_text(original, "utf-8")
    return found


def table(rows: list[Row]) -> str:
    """The results as an aligned plain-text table."""
    head = ["standards", "pages", "project s", "bare s", "ratio", "growth/2x", "peak MB",
            "bare MB", "index KB", "std page KB", "question KB"]
    body = [[str(r.standards), str(r.pages), f"{r.project_s:.2f}", f"{r.bare_s:.2f}",
             f"{r.project_s / r.bare_s:.2f}", f"{r.growth:.2f}" if r.growth else "-",
             f"{r.peak_mb:.0f}", f"{r.bare_peak_mb:.0f}", f"{r.index_kb:.0f}",
             f"{r.standard_kb:.0f}", f"{r.question_kb:.0f}"] for r in rows]
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]
    return "\n".join("  ".join(x.rjust(w) for x, w in zip(line, widths, strict=True))
                     for line in [head, *body])


def goals(rows: list[Row], ship: dict, seen: preview.Figures | None
          ) -> list[tuple[str, bool | None, str]]:
    """(goal, met or None when not measured, the measured value)."""
    by_size = {r.standards: r for r in rows}
    found = []
    for size in (10, 40):
        row = by_size.get(size)
        found.append((f"build <= {GOALS['ratio']}x the bare build at {size} standards",
                       None if row is None else row.project_s / row.bare_s <= GOALS["ratio"],
                       f"{row.project_s / row.bare_s:.2f}x ({row.project_s:.2f} s / "
                       f"{row.bare_s:.2f} s)" if row else f"{size} standards not run"))
    if 10 in by_size and 40 in by_size:
        grown = by_size[40].project_s / by_size[10].project_s
        found.append((f"10 -> 40 standards costs <= {GOALS['growth']}x the time (linear)",
                      grown <= GOALS["growth"], f"{grown:.2f}x"))
    else:
        found.append((f"10 -> 40 standards costs <= {GOALS['growth']}x the time (linear)", None,
                      "needs 10 and 40 standards"))
    largest = max(rows, key=lambda r: r.standards) if rows else None
    if seen is None or largest is None:
        found.append(("the preview", None, "not run"))
    elif seen.error:
        found.append(("the preview", False, seen.error))
    else:
        at = f"at {largest.standards} standards"
        for kind in ("a section's text", "an offer"):
            found.append((f"preview {at}: save -> new words shown <= {GOALS['save_s']} s for "
                          f"{kind} (median)", seen.median(kind) <= GOALS["save_s"],
                          f"{seen.median(kind):.2f} s"))
        for kind in ("a glossary term", "the municipality's name"):
            found.append((f"preview {at}: {kind} no slower than a whole build",
                          seen.median(kind) <= largest.project_s,
                          f"{seen.median(kind):.2f} s (build {largest.project_s:.2f} s)"))
        found.append((f"preview {at}: first preview up <= {GOALS['start_s']:.0f} s",
                      seen.start_s <= GOALS["start_s"], f"{seen.start_s:.2f} s"))
    found += [
        (f"first load of the shipped standard page <= {GOALS['standard_kb']} KB",
         ship["standard_kb"] <= GOALS["standard_kb"], f"{ship['standard_kb']:.0f} KB"),
        (f"first load of the shipped guide question page <= {GOALS['question_kb']} KB",
         ship["question_kb"] <= GOALS["question_kb"], f"{ship['question_kb']:.0f} KB"),
        (f"shipped site's whole build < {GOALS['shipped_s']} s",
         ship["build_s"] < GOALS["shipped_s"], f"{ship['build_s']:.2f} s"),
        (f"shipped site's preview: save -> new words shown < {GOALS['serve_s']} s",
         None if ship["serve_error"] else ship["serve_wall_s"] < GOALS["serve_s"],
         ship["serve_error"] or f"{ship['serve_wall_s']:.2f} s"),
    ]
    return found


def profile(size: int, top: int = 25) -> None:
    """Profile one project build at ``size`` in this process (cProfile), print the top costs."""
    import cProfile
    import pstats

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = prepare(size, OUT / f"size-{size}")
    profiler = cProfile.Profile()
    profiler.enable()
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(OUT / "profile-site"),
                      strict=True))
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    print(f"\nProfile of one project build at {size} standards (cProfile, top {top}):")
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 20, 40],
                        help="numbers of standards to generate (default: 1 10 20 40)")
    parser.add_argument("--repeat", type=int, default=3, help="builds per measurement (median)")
    parser.add_argument("--edits", type=int, default=3, help="saves of each kind in the preview")
    parser.add_argument("--profile", type=int, metavar="N",
                        help="only profile one project build at N standards")
    parser.add_argument("--before", default=BEFORE,
                        help="the commit to compare the first load with")
    parser.add_argument("--versions", type=int, nargs="*", default=[0, 5, 10],
                        help="earlier editions per standard to measure at 10 standards")
    parser.add_argument("--only-scale", action="store_true",
                        help="only the sizes, the preview and the publishing build (issue 22)")
    args = parser.parse_args(argv)
    if args.profile:
        profile(args.profile)
        return 0
    print(f"Machine: {measure.machine()}")
    rows = []
    for size in sorted(set(args.sizes)):
        print(f"... {size} standards", flush=True)
        rows.append(measure_size(size, args.repeat))
    add_growth(rows)
    largest = max(args.sizes)
    print(f"... the preview at {largest} standards", flush=True)
    seen = preview_at(largest, args.edits)
    print(f"... the publishing build at {largest} standards", flush=True)
    published = publish_at(largest)
    editions, pdfs, generators, loads = [], [], [], {}
    if not args.only_scale:
        if args.versions:
            print("... editions", flush=True)
            editions = measure_versions(sorted(set(args.versions)), args.repeat)
        print("... PDFs", flush=True)
        pdfs = pdf_figures(args.repeat)
        print("... generators", flush=True)
        generators = generator_times(args.repeat)
        print("... first load over slow 4G", flush=True)
        loads = first_loads(args.repeat, args.before)
    print("... the shipped site and the preview", flush=True)
    ship = shipped(args.repeat, args.edits)
    print(f"\nMachine at the end: {measure.machine()}")
    print(f"\nSynthetic content (15 sections, a 6+6 guide and 15 offers per standard over "
          f"{synth.AREAS} areas, 80 glossary terms); median of {args.repeat} builds, wall time of "
          "`mkdocs build --strict` (the project's with its Pagefind index):\n")
    print(table(rows))
    print("\ngrowth/2x: t(n) / t(m) for the previous size m, as (t(n)/t(m)) ** (1/log2(n/m)), "
          "i.e. per doubling.\npeak MB: the largest resident size of the build's processes.\n"
          "KB: first load = gzip -9 of the HTML + its CSS and JS (the search loads nothing until "
          "its field is used); index = Pagefind's whole index on disk (a search fetches only the "
          "fragments it needs).")
    print(f"\nPreview (kvalitet serve) at {largest} standards: first page served "
          f"{seen.start_s:.2f} s after the start; peak memory {seen.peak_mb:.0f} MB.")
    if seen.error:
        print(f"  failed: {seen.error}")
    else:
        print("From a save until the open page shows the new words (the page is told to reload "
              "and fetched), median of {args.edits}; the build time and pages the preview "
              "printed:\n".replace("{args.edits}", str(args.edits)))
        for kind in seen.shown:
            pages = [p for p in seen.pages[kind]]
            written = "the whole site" if None in pages else f"{max(pages)} pages written"
            print(f"  {kind:<24} {seen.median(kind):>6.2f} s  (printed "
                  f"{statistics.median(seen.printed[kind]):.2f} s, {written})")
    print(f"\nPublishing build (`kvalitet build`: PDFs, strict build, swap) at {largest} "
          "standards:\n")
    for what, seconds, peak, made in published:
        print(f"  {what:<21} {seconds:>7.2f} s  peak {peak:>5.0f} MB  {made}")
    if editions:
        print("\nEditions: 10 synthetic standards, each with N earlier editions (frozen files, "
              "their pages and change pages):\n")
        print("  editions/standard  pages  build s  ms/page")
        for count, pages, seconds, per_page in editions:
            print(f"  {count:>17}  {pages:>5}  {seconds:>7.2f}  {per_page:>7.1f}")
    if generators:
        print("\nThe shipped site under each generator path (median seconds):\n")
        for name, seconds in generators:
            print(f"  {name:<27} {seconds:>6.2f}")
    if loads:
        print("\nFirst load of the shipped standard page at 390 px over slow 4G (150 ms, 1.6 "
              "Mbit/s, 4x CPU), empty cache, gzip; median first contentful paint:\n")
        for name, load in loads.items():
            print(f"  {name:<18} FCP {load['fcp_ms']:>5.0f} ms, {load['requests']} requests, "
                  f"{load['kb']:.0f} KB, render-blocking: {', '.join(load['blocking'])}")
    if pdfs:
        print("\nPDF (WeasyPrint PDF/UA-1 and the tagging pass), median of "
              f"{args.repeat}:\n\n  document             pages     KB  seconds")
        for name, pages, size, seconds in pdfs:
            print(f"  {name:<19} {pages:>6} {size / 1024:>6.0f} {seconds:>8.2f}")
    serve = ship["serve_error"] or (f"{ship['serve_s']:.2f} s as printed, "
                                    f"{ship['serve_wall_s']:.2f} s from the save until the page "
                                    f"shows the new words (median of {args.edits} saves)")
    print(f"\nShipped site ({ship['pages']} pages): build {ship['build_s']:.2f} s (median of "
          f"{args.repeat}); first load {ship['standard']} {ship['standard_kb']:.0f} KB, "
          f"{ship['question']} {ship['question_kb']:.0f} KB.\nPreview after a section's text is "
          f"saved: {serve}.\n")
    results = goals(rows, ship, seen)
    for goal, met, value in results:
        mark = "not measured" if met is None else ("met" if met else "FAILED")
        print(f"  [{mark:>12}] {goal}: {value}")
    failed = [g for g, met, _ in results if met is False]
    print(f"\n{len(failed)} goal(s) failed." if failed else "\nAll measured goals are met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
