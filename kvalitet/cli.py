"""The ``kvalitet`` command: check content, write schemas, build the site for publishing."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kvalitet.problems import AFTER_BUILD, AFTER_CHECK, ContentError, format_advice, format_errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kvalitet", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="the project folder (with mkdocs.yml, content/ and offers.yaml)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="tjek indholdet: fejl (exit 1) og råd (exit 0)")
    sub.add_parser("report", help="sprog (LIX) pr. afsnit og hvad der mangler før udgivelse")
    links = sub.add_parser("links", help="published links: list the new ones (exit 1 if any)")
    links.add_argument("--update", action="store_true",
                       help="add new links to content/published-links.txt (never removes any)")
    schema = sub.add_parser("schema", help="write schemas/*.schema.json from the models")
    schema.add_argument("--check", action="store_true", help="fail if the files are stale")
    serve = sub.add_parser("serve", help="forhåndsvisning på http://127.0.0.1:8000/, opdateres "
                           "ved hver gemning")
    serve.add_argument("--port", type=int, default=8000)
    build = sub.add_parser("build", help="strict build into a temporary folder, then swap it in")
    build.add_argument("--site-dir", type=Path, default=Path("site"))
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command == "check":
        return check(root)
    if args.command == "report":
        return report_command(root)
    if args.command == "links":
        return links_command(root, args.update)
    if args.command == "schema":
        return schema_command(root, args.check)
    if args.command == "serve":
        from kvalitet.outputs.preview import serve

        return serve(root, args.port)
    return publish(root, (root / args.site_dir) if not args.site_dir.is_absolute()
                   else args.site_dir)


def _load(root: Path, after: str = AFTER_CHECK):
    """The checked site, or None after printing the errors (for commands that need content)."""
    from kvalitet.build import checked_site

    try:
        return checked_site(root)
    except ContentError as exc:
        print(format_errors(exc.errors, after), file=sys.stderr)
        return None


def check(root: Path) -> int:
    site = _load(root)
    if site is None:
        return 1
    print("Indholdet er tjekket: ingen fejl.")
    print(format_advice(site.advice))
    return 0


def report_command(root: Path) -> int:
    from kvalitet.outputs.report import report

    site = _load(root)
    if site is None:
        return 1
    print(report(site))
    return 0


def links_command(root: Path, update: bool) -> int:
    from kvalitet.content.load import PUBLISHED
    from kvalitet.site import links

    site = _load(root)
    if site is None:
        return 1
    if update:
        added = links.update(site)
        print(f"{len(added)} nye links tilføjet til {PUBLISHED}." if added
              else f"{PUBLISHED} er opdateret: ingen nye links.")
        for link in added:
            print(f"+ {link}")
        return 0
    missing = links.unlisted(site)
    for link in missing:
        print(f"+ {link}")
    if missing:
        print(f"{len(missing)} links udgives, men står ikke i {PUBLISHED}. Kør "
              "\"kvalitet links --update\" og commit filen.", file=sys.stderr)
        return 1
    print(f"Alle udgivne links står i {PUBLISHED}.")
    return 0


def schema_command(root: Path, check_only: bool) -> int:
    from kvalitet.outputs.schema import write_schemas

    stale = write_schemas(root / "schemas", check_only=check_only)
    if check_only and stale:
        print("Stale schemas (run `kvalitet schema`): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


def publish(root: Path, site_dir: Path) -> int:
    """Build with ``mkdocs build --strict`` into a new folder; replace ``site_dir`` on success.

    A failed build (content error, broken link) leaves the published folder exactly as it was,
    and so does content that publishes an address not yet locked in published-links.txt: once
    an address is out, the lock is what keeps it from disappearing.
    """
    from kvalitet.content.load import PUBLISHED
    from kvalitet.site import links

    site = _load(root, AFTER_BUILD)
    if site is None:
        print(f"Bygningen fejlede; {site_dir} er uændret.", file=sys.stderr)
        return 1
    new = links.unlisted(site)
    if new:
        count = "1 adresse er" if len(new) == 1 else f"{len(new)} adresser er"
        print(f"Siden er ikke udgivet: {count} ikke låst i {PUBLISHED}. Kør make "
              "links (kvalitet links --update), gem ændringen (commit), og byg igen. "
              f"{site_dir} er uændret.", file=sys.stderr)
        for link in new:
            print(f"+ {link}", file=sys.stderr)
        return 1
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".site-new-", dir=site_dir.parent))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # Never add -q or -v to --strict: both stop it from failing on broken links (see pitfalls).
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
                             "-f", str(root / "mkdocs.yml"), "-d", str(fresh)], env=env)
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        print(f"Bygningen fejlede; {site_dir} er uændret.", file=sys.stderr)
        return result.returncode or 1
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site_dir.parent))
        site_dir.rename(old / "site")
    fresh.rename(site_dir)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    print(f"Sitet er bygget i {site_dir}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
