"""The ``kvalitet`` command: check content, write schemas, build the site for publishing."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kvalitet.content.versions import DATE_VARIABLE
from kvalitet.problems import AFTER_BUILD, AFTER_CHECK, ContentError, format_advice, format_errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kvalitet", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="the project folder (with mkdocs.yml, content/ and offers.yaml)")
    parser.add_argument("--date", type=_date, default=None,
                        help="byg og tjek, som om det var denne dag (ÅÅÅÅ-MM-DD); standard: i dag "
                        "i Danmark. Afgør, hvilken udgave af en standard der gælder")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="tjek indholdet: fejl (exit 1) og råd (exit 0)")
    sub.add_parser("report", help="sprog (LIX) pr. afsnit og hvad der mangler før udgivelse")
    links = sub.add_parser("links", help="published links: list those the next publishing build "
                           "will publish first")
    links.add_argument("--update", action="store_true",
                       help="list new links in content/published-links.txt as pending (optional: "
                       "kvalitet build records them as published)")
    schema = sub.add_parser("schema", help="write schemas/*.schema.json from the models")
    schema.add_argument("--check", action="store_true", help="fail if the files are stale")
    serve = sub.add_parser("serve", help="forhåndsvisning på http://127.0.0.1:8000/, opdateres "
                           "ved hver gemning")
    serve.add_argument("--port", type=int, default=8000)
    edit = sub.add_parser("edit", help="redigér i browseren (Decap CMS på http://127.0.0.1:8081/"
                          "admin/) med forhåndsvisningen på http://127.0.0.1:8000/")
    edit.add_argument("--port", type=int, default=8000, help="forhåndsvisningens port")
    edit.add_argument("--cms-port", type=int, default=8081, help="redigeringens port")
    cms = sub.add_parser("cms", help="write admin/ (Decap CMS) for the municipality's own Git host")
    cms.add_argument("dest", type=Path, help="the folder to write (it is emptied first)")
    cms.add_argument("--backend", required=True, choices=["github", "gitlab", "gitea", "azure"])
    cms.add_argument("--repo", required=True, help="owner/name (Azure: organisation/project/repo)")
    cms.add_argument("--branch", default="main")
    cms.add_argument("--base-url", help="GitHub: the OAuth server's address; Gitea: its address")
    cms.add_argument("--app-id", help="GitLab or Gitea: the OAuth application's id")
    cms.add_argument("--api-root", help="a self-hosted GitLab or Gitea: its API address")
    cms.add_argument("--tenant-id", help="Azure DevOps: the Entra ID tenant")
    build = sub.add_parser("build", help="strict build into a temporary folder, then swap it in; "
                           "records the addresses and editions it published")
    build.add_argument("--site-dir", type=Path, default=Path("site"))
    build.add_argument("--no-record", action="store_true",
                       help="a trial build: do not record new addresses in "
                       "content/published-links.txt (nor editions in published-versions.json)")
    build.add_argument("--host-redirects", action="store_true",
                       help="leave out the HTML pages at moved addresses: the host answers them "
                       "with a 301 from _redirects (GitLab Pages, Netlify serve a file first)")
    _host_arguments(sub)
    export = sub.add_parser("export", help="the site as plain files (docs/, overrides/, "
                            "mkdocs.yml) that MkDocs, ProperDocs and Zensical build without the "
                            "hook")
    export.add_argument("dest", type=Path)
    search = sub.add_parser("search", help="index a built site for the search (Pagefind)")
    search.add_argument("site_dir", type=Path)
    new = sub.add_parser("ny-udgave", help="frys standardens nuværende udgave i versions/ og gør "
                         "standard.yaml klar til den næste")
    new.add_argument("standard", help="standardens id (mappenavnet)")
    new.add_argument("--fra", type=_date, required=True,
                     help="datoen, den nye udgave gælder fra (ÅÅÅÅ-MM-DD)")
    new.add_argument("--godkendt", type=_date, help="datoen, den nye udgave blev godkendt")
    new.add_argument("--af", help="hvem der godkendte den, fx Byrådet")
    imp = sub.add_parser("import", help="lav et udkast til en ny standard ud fra et "
                         "Word-dokument (.docx), en PDF, en webside (.html) eller tekst (.txt), "
                         "med en rapport over det, importen var usikker på")
    imp.add_argument("file", type=Path, help="dokumentet")
    imp.add_argument("--id", dest="standard_id", help="standardens id (mappenavnet under "
                     "content/standards/); udelades det, laves det af titlen")
    blank = sub.add_parser("ny-standard", help="opret en ny standard med alle nøgler, der skal "
                           "udfyldes")
    blank.add_argument("standard", help="standardens id (mappenavnet), fx botilbud")
    diff = sub.add_parser("forskelle", help="hvad der er ændret mellem to udgaver af en standard")
    diff.add_argument("standard", help="standardens id (mappenavnet)")
    diff.add_argument("dates", nargs="*", type=_date, help="to datoer (ÅÅÅÅ-MM-DD); udelades de, "
                      "sammenlignes den nyeste udgave med udgaven før")
    restore = sub.add_parser("gendan", help="sæt en fil tilbage til en tidligere udgave (gemt, "
                             "når du gemmer i browseren)")
    restore.add_argument("fil", nargs="?", help="filen, fx offers.yaml; udelades den, vises de "
                         "filer, der har tidligere udgaver")
    restore.add_argument("nr", nargs="?", type=int, help="udgavens nummer (1 er den nyeste); "
                         "udelades det, vises udgaverne")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.date:  # for this process and the MkDocs build it starts (read by build_date)
        os.environ[DATE_VARIABLE] = args.date.isoformat()
    if args.command == "export":
        return export_command(root, args.dest.resolve())
    if args.command == "search":
        from kvalitet.outputs.search import index

        print(f"{index(args.site_dir.resolve())} sider er gjort søgbare.")
        return 0
    if args.command == "import":
        return import_command(root, args.file, args.standard_id)
    if args.command == "ny-standard":
        return new_standard_command(root, args.standard)
    if args.command == "ny-udgave":
        return new_edition(root, args.standard, args.fra, args.godkendt, args.af)
    if args.command == "gendan":
        from kvalitet.outputs.backup import restore_command

        return restore_command(root, args.fil, args.nr)
    if args.command == "forskelle":
        return differences(root, args.standard, args.dates)
    if args.command == "check":
        return check(root)
    if args.command == "report":
        return report_command(root)
    if args.command == "links":
        return links_command(root, args.update)
    if args.command == "schema":
        return schema_command(root, args.check)
    if args.command == "edit":
        from kvalitet.outputs.edit import edit

        return edit(root, args.port, args.cms_port)
    if args.command == "cms":
        return cms_command(root, args)
    if args.command == "serve":
        from kvalitet.outputs.preview import serve

        return serve(root, args.port)
    if args.command in ("host", "verify"):
        return host_command(root, args) if args.command == "host" else verify_command(root, args)
    return publish(root, (root / args.site_dir) if not args.site_dir.is_absolute()
                   else args.site_dir, args.host_redirects, record=not args.no_record)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" er ikke en dato. Skriv den som ÅÅÅÅ-MM-DD, '
                                         'fx 2027-01-01') from None


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
        print(f"{len(added)} nye adresser står nu i {PUBLISHED} som kommende (pending): den "
              "næste udgivelse (kvalitet build) låser dem." if added
              else f"{PUBLISHED} er opdateret: ingen nye adresser.")
        for link in added:
            print(f"+ {link}")
        return 0
    coming = links.unpublished(site)
    for link in coming:
        print(f"+ {link}")
    print(f"{len(coming)} adresser udgives første gang ved den næste udgivelse, som låser dem i "
          f"{PUBLISHED}." if coming else f"Alle adresser er udgivet og låst i {PUBLISHED}.")
    return 0


def schema_command(root: Path, check_only: bool) -> int:
    from kvalitet.outputs.schema import write_schemas

    stale = write_schemas(root / "schemas", check_only=check_only)
    if check_only and stale:
        print("Stale schemas (run `kvalitet schema`): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


def publish(root: Path, site_dir: Path, host_redirects: bool = False,
            record: bool = True) -> int:
    """Build with ``mkdocs build --strict`` into a new folder; replace ``site_dir`` on success.

    A failed build (content error, broken link) leaves the published folder exactly as it was.
    A successful one records what it published (``record``, the default): every new address in
    content/published-links.txt and every new frozen edition in published-versions.json, so they
    are protected from then on; the pipeline that publishes the site commits the two files back.
    ``record=False`` (``--no-record``) builds without recording: a trial build. The published
    folder is readable by a web server's user (folders 755, files 644).
    """
    from kvalitet.build import PDF_VARIABLE
    from kvalitet.outputs.pdf import build_pdfs
    from kvalitet.outputs.pdfcache import FOLDER, PdfCache

    site = _load(root, AFTER_BUILD)
    if site is None:
        print(f"Bygningen fejlede; {site_dir} er uændret.", file=sys.stderr)
        return 1
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".site-new-", dir=site_dir.parent))
    pdfs = Path(tempfile.mkdtemp(prefix="kvalitet-pdf-"))
    try:
        cache = PdfCache(root / FOLDER)
        made = build_pdfs(site, pdfs, cache)
        print(f"{len(made)} PDF'er: {len(made) - cache.reused} lavet, {cache.reused} uændrede "
              "genbrugt.")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", PDF_VARIABLE: str(pdfs)}
        # Never add -q or -v to --strict: they stop it from failing on broken links (pitfalls).
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
                                 "-f", str(root / "mkdocs.yml"), "-d", str(fresh)], env=env)
    finally:
        shutil.rmtree(pdfs, ignore_errors=True)
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        print(f"Bygningen fejlede; {site_dir} er uændret.", file=sys.stderr)
        return result.returncode or 1
    _ready_for_host(site, fresh, host_redirects)
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site_dir.parent))
        site_dir.rename(old / "site")
    fresh.rename(site_dir)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    print(f"Sitet er bygget i {site_dir}.")
    if record:
        record_published(site)
    return 0


def record_published(site) -> None:
    """After a publishing build: lock what it published, and say which files changed (the
    pipeline commits them: ``git status --porcelain content/``)."""
    from kvalitet.content import versions
    from kvalitet.content.load import PUBLISHED
    from kvalitet.site import links

    new = links.record(site)
    if new:
        print(f"{len(new)} adresser er udgivet for første gang og nu låst i {PUBLISHED}:")
        for link in new:
            print(f"+ {link}")
    for file in versions.update_lock(site):
        print(f"Udgaven {file} er låst i {versions.LOCK}.")


def _ready_for_host(site, folder: Path, host_redirects: bool) -> None:
    """A fresh build as a web server will read it (``publish``)."""
    from kvalitet.outputs import host

    if host_redirects:
        host.drop_redirect_pages(site, folder)
    host.make_readable(folder)


def _host_arguments(sub) -> None:
    host = sub.add_parser("host", help="nginx or Caddy configuration for the built site; "
                          "'files': seal the pages of a site built from the export with their "
                          "CSP and write _redirects, _headers and staticwebapp.config.json")
    host.add_argument("kind", choices=["nginx", "caddy", "files"])
    host.add_argument("--site-dir", type=Path, default=Path("site"),
                      help="the built site (default: site)")
    host.add_argument("--listen", default="80",
                      help="port or address:port to serve plain HTTP on (default: 80)")
    verify = sub.add_parser("verify", help="tjek det offentlige site: alle udgivne adresser, "
                            "sitemap, søgning, 404-side og sikkerhedsheadere")
    verify.add_argument("url", help="sitets adresse, evt. med sti (https://x.github.io/repo/)")
    verify.add_argument("--wait", type=float, default=0, metavar="SEKUNDER",
                        help="prøv igen, til alt svarer, i op til så mange sekunder (mens en "
                        "ny udgivelse når ud)")
    verify.add_argument("--site", type=Path, metavar="MAPPE",
                        help="det byggede site, der lige er udgivet: siderne skal være dets")
    verify.add_argument("--headers", action="store_true",
                        help="værten skal sende sikkerhedsheadere (nginx, Caddy, Netlify, ...)")


def host_command(root: Path, args: argparse.Namespace) -> int:
    """``kvalitet host nginx|caddy|files``."""
    from kvalitet.outputs import host

    site = _load(root)
    if site is None:
        return 1
    site_dir = args.site_dir if args.site_dir.is_absolute() else root / args.site_dir
    if not (site_dir / "index.html").is_file():
        print(f"{site_dir} er ikke et bygget site. Byg det først (make build).", file=sys.stderr)
        return 1
    try:
        if args.kind == "files":
            problems = host.finish(site, site_dir)
            for problem in problems:
                print(problem, file=sys.stderr)
            print(f"Siderne i {site_dir} har deres Content-Security-Policy, og _redirects, "
                  "_headers og staticwebapp.config.json er skrevet.")
            return 1 if problems else 0
        made = host.plan(site, site_dir)
        print(host.nginx(made, args.listen) if args.kind == "nginx"
              else host.caddy(made, args.listen), end="")
    except host.HostError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def verify_command(root: Path, args: argparse.Namespace) -> int:
    """``kvalitet verify URL``: exit 1 naming every address or file that does not answer."""
    from kvalitet.content.load import load_site
    from kvalitet.outputs.verify import verify
    from kvalitet.problems import Findings

    if not args.url.startswith(("http://", "https://")):
        print(f'"{args.url}" er ikke en webadresse. Skriv fx https://kvalitet.kommune.dk/',
              file=sys.stderr)
        return 1
    published = load_site(root, Findings()).published
    report = verify(args.url, published, args.site.resolve() if args.site else None,
                    args.headers, args.wait)
    for note in report.notes:
        print(note)
    if report.problems:
        for problem in report.problems:
            print(f"FEJL {problem}", file=sys.stderr)
        print(f"{len(report.problems)} fejl på {args.url}.", file=sys.stderr)
        return 1
    print(f"Alt i orden på {args.url}: alle {len(published)} udgivne adresser svarer, og "
          "sitemap, søgning og 404-side er der.")
    return 0


def cms_command(root: Path, args: argparse.Namespace) -> int:
    from kvalitet.outputs import cms

    site = _load(root)
    if site is None:
        return 1
    backend = cms.Backend(args.backend, args.repo, args.branch, args.base_url, args.app_id,
                          args.api_root, args.tenant_id)
    try:
        dest = cms.write_admin(args.dest.resolve(), root, backend, site.municipality.site_url)
    except FileNotFoundError as exc:
        print(exc)
        return 1
    print(f"Decap CMS for {args.backend} ({args.repo}, {args.branch}) er skrevet til {dest}. "
          "Læg mappen på webserveren som /admin/ (se handbog/README.md).")
    return 0


def export_command(root: Path, dest: Path) -> int:
    from kvalitet.outputs.export import export

    try:
        built = export(root, dest)
    except ContentError as exc:
        print(format_errors(exc.errors, AFTER_BUILD), file=sys.stderr)
        return 1
    print(f"{len(built.pages)} sider er skrevet til {dest}. Byg med fx "
          f"\"mkdocs build --strict\", \"properdocs build --strict\" eller \"zensical build\" "
          f"i {dest}, og kør så \"kvalitet search {dest / 'site'}\" og \"kvalitet host files "
          f"--site-dir {dest / 'site'}\" (sidernes CSP og værternes filer).")
    return 0


def new_edition(root: Path, standard_id: str, start: dt.date, approved: dt.date | None,
                by: str | None) -> int:
    """``kvalitet ny-udgave``: freeze the edition in standard.yaml, date the next one."""
    from kvalitet.content import versions

    site = _load(root)
    if site is None:
        return 1
    std = site.standard(standard_id)
    if std is None:
        print(f'Der er ingen standard med id\'et "{standard_id}". Brug et af: '
              + ", ".join(s.id for s in site.standards), file=sys.stderr)
        return 1
    try:
        frozen = versions.freeze(site, std, start, approved, by)
    except ValueError as exc:
        print(f"Ingen ny udgave: {exc}", file=sys.stderr)
        return 1
    print(f"Den nuværende udgave er frosset i {frozen} og låst i {versions.LOCK}.")
    print(f"{std.latest_file} er nu den nye udgave, der gælder fra {start.isoformat()}. Ret "
          "teksten dér; siden viser den nuværende udgave, til den nye gælder.")
    if not approved:
        print("Husk at skrive approved (og approved_by), når den nye udgave er godkendt.")
    print("Gem ændringen (commit), når du er færdig.")
    return 0


def import_command(root: Path, source: Path, standard_id: str | None) -> int:
    """``kvalitet import``: a draft standard and its review report, or nothing at all."""
    from kvalitet.sources.importer import ImportRefused, import_file

    try:
        done = import_file(root, source.resolve(), standard_id)
    except ImportRefused as exc:
        print(f"Intet er importeret: {exc}.", file=sys.stderr)
        return 1
    print(f"Udkastet er skrevet til {done.standard_file} ({done.summary}).\n")
    print(done.report)
    print(f"Rapporten står også i {done.report_file}.")
    if done.problems:
        print(f"\n\"kvalitet check\" vil melde {len(done.problems)} fejl i udkastet, til de "
              "er rettet:")
        for problem in done.problems:
            print(f"- {problem}")
    print("\nNæste skridt: ret udkastet, kør \"kvalitet check\", og se siden med "
          "\"make serve\". Tilføj standarden under standards i content/municipality.yaml.")
    return 0


def new_standard_command(root: Path, standard_id: str) -> int:
    """``kvalitet ny-standard``: an empty standard with every required key marked to fill."""
    from kvalitet.sources.importer import ImportRefused
    from kvalitet.sources.template import new_standard

    try:
        name = new_standard(root, standard_id)
    except ImportRefused as exc:
        print(f"Ingen ny standard: {exc}.", file=sys.stderr)
        return 1
    print(f"{name} er oprettet. Udfyld hver nøgle mærket UDFYLD med teksten fra den godkendte "
          "standard, og kør \"kvalitet check\": den nævner hver nøgle, der mangler. Siden kan "
          "ikke bygges, før de er udfyldt.")
    return 0


def differences(root: Path, standard_id: str, dates: list[dt.date]) -> int:
    """``kvalitet forskelle``: what changed between two editions, section by section."""
    from kvalitet.content.changes import as_text, compare

    site = _load(root)
    if site is None:
        return 1
    std = site.standard(standard_id)
    editions = {e.date: e for e in std.editions} if std else {}
    if len(editions) < 2:
        print(f'Standarden "{standard_id}" har ikke to udgaver med dato at sammenligne.',
              file=sys.stderr)
        return 1
    chosen = sorted(dates) if len(dates) == 2 else list(editions)[-2:]
    missing = [d.isoformat() for d in chosen if d not in editions]
    if len(dates) not in (0, 2) or missing:
        print("Skriv ingen datoer eller to af udgavernes datoer: "
              + ", ".join(d.isoformat() for d in editions), file=sys.stderr)
        return 1
    old, new = editions[chosen[0]], editions[chosen[1]]
    print(as_text(compare(old.standard, new.standard), f"udgaven fra {old.date.isoformat()}",
                  f"udgaven fra {new.date.isoformat()}"), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
