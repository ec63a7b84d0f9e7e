"""What a file must be before a reader opens it: a known kind, not too large, not a zip bomb,
not encrypted. Every refusal is a Danish sentence for the editor, and nothing has been written.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

MB = 1_000_000
# Far above any standard (a municipality's standard is a PDF under 1 MB, a Word file with
# photos some MB).
MAX_BYTES = {"docx": 30 * MB, "pdf": 30 * MB, "html": 5 * MB, "txt": 2 * MB}
MAX_UNPACKED = 150 * MB  # a .docx's parts together, unpacked
MAX_RATIO = 200  # unpacked / packed for one part over 1 MB (XML packs 5-20 times, a bomb 1000)
MAX_PAGES = 300

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = {b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG", b"II*\x00": "TIFF", b"MM\x00*": "TIFF",
           b"GIF8": "GIF"}
SUFFIXES = {".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html", ".txt": "txt",
            ".text": "txt"}
_OTHER = {
    ".doc": "er i Words gamle format (.doc). Åbn den i Word, og gem den som .docx",
    ".odt": "er et OpenDocument-dokument (.odt). Gem det som .docx (Filer > Gem som)",
    ".rtf": "er i RTF-format. Åbn den i Word, og gem den som .docx",
    ".pages": "er et Pages-dokument. Eksportér det som .docx eller PDF",
    ".xlsx": "er et regneark. Kopiér teksten til et Word-dokument, og importér det",
    ".pptx": "er et PowerPoint-dokument. Gem teksten som PDF eller .docx",
}
KINDS = "Brug en .docx-, .pdf-, .html- eller .txt-fil"


class ImportRefused(Exception):
    """The file cannot be imported; the message says why and what to do (Danish)."""


def _mb(size: int) -> str:
    return f"{size / MB:.1f}".replace(".", ",") + " MB"


def sniff(path: Path) -> str:
    """The kind of file ("docx", "pdf", "html" or "txt"), after the checks every kind needs."""
    name = path.name
    if not path.exists():
        raise ImportRefused(f"{name} findes ikke. Tjek filens navn og mappe")
    if not path.is_file():
        raise ImportRefused(f"{name} er en mappe, ikke en fil. Angiv selve dokumentet")
    size = path.stat().st_size
    if size == 0:
        raise ImportRefused(f"{name} er tom (0 byte). Tjek, at det er det rigtige dokument")
    with path.open("rb") as f:
        head = f.read(8192)
    suffix = path.suffix.lower()
    kind = _kind(head, suffix, name)
    limit = MAX_BYTES[kind]
    if size > limit:
        raise ImportRefused(f"{name} fylder {_mb(size)}; en kvalitetsstandard fylder langt "
                            f"mindre, og højst {_mb(limit)} kan importeres. Tjek, at det er det "
                            "rigtige dokument, eller fjern store billeder fra det")
    if kind == "docx":
        check_docx(path)
    elif kind == "pdf":
        check_pdf(path)
    return kind


def _kind(head: bytes, suffix: str, name: str) -> str:
    claimed = SUFFIXES.get(suffix)
    if b"%PDF-" in head[:1024]:
        kind = "pdf"
    elif head.startswith(b"PK\x03\x04"):
        kind = "docx"
    elif head.startswith(_OLE):
        if suffix == ".doc":
            raise ImportRefused(f"{name} {_OTHER['.doc']}")
        raise ImportRefused(f"{name} er beskyttet med en adgangskode (krypteret), eller er i "
                            "Words gamle format (.doc). Åbn den i Word, fjern adgangskoden "
                            "(Filer > Oplysninger > Beskyt dokument), og gem den som .docx")
    else:
        image = next((k for magic, k in _IMAGES.items() if head.startswith(magic)), None)
        if image:
            raise ImportRefused(f"{name} er et billede ({image}), ikke en tekst. Importen "
                                "genkender ikke tekst i billeder (ingen OCR): få teksten "
                                "genkendt først (fx med OCR i Adobe Acrobat), og importér PDF'en")
        if suffix in _OTHER:
            raise ImportRefused(f"{name} {_OTHER[suffix]}")
        if claimed in ("html", "txt"):
            if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise ImportRefused(f"{name} hedder {suffix}, men er ikke en tekstfil. "
                                    f"{KINDS}")
            return claimed
        raise ImportRefused(f'{name}: filtypen "{suffix or "(ingen)"}" kan ikke importeres. '
                            f"{KINDS}")
    if claimed is not None and claimed != kind:
        raise ImportRefused(f"{name} hedder {suffix}, men indeholder en "
                            f"{'PDF' if kind == 'pdf' else 'zip-fil'}. Filen er beskadiget "
                            "eller har fået forkert navn. Gem dokumentet igen, og importér det")
    if suffix in _OTHER:  # e.g. an .odt or .xlsx is a zip too
        raise ImportRefused(f"{name} {_OTHER[suffix]}")
    return kind


def check_docx(path: Path) -> None:
    """A Word file is a zip: refuse a damaged one and one whose unpacked size is out of
    proportion (a zip bomb), before anything is unpacked. Python's zip reader never unpacks
    more than the size a part declares, so checking the declared sizes is enough."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportRefused(f"{name} er beskadiget: den kan ikke åbnes som Word-dokument. Åbn "
                            "den i Word, gem den igen som .docx, og importér den") from None
    if "word/document.xml" not in names:
        what = "et OpenDocument-dokument" if "content.xml" in names else "ikke et Word-dokument"
        raise ImportRefused(f"{name} er {what} (der er ingen word/document.xml i filen). Gem "
                            "dokumentet som .docx i Word, og importér det")
    unpacked = sum(i.file_size for i in infos)
    bomb = next((i for i in infos if i.file_size > MB
                 and i.file_size > MAX_RATIO * max(i.compress_size, 1)), None)
    if unpacked > MAX_UNPACKED or bomb is not None:
        raise ImportRefused(f"{name} fylder {_mb(path.stat().st_size)}, men pakket ud "
                            f"{_mb(unpacked)}: det står ikke i forhold til et dokument (det "
                            "ligner en zip-bombe). Filen er ikke åbnet. Gem dokumentet igen i "
                            "Word, og importér det")
    if any(i.flag_bits & 0x1 for i in infos):
        raise ImportRefused(f"{name} er krypteret. Fjern adgangskoden i Word, gem igen, og "
                            "importér den")


def check_pdf(path: Path) -> None:
    """A PDF: refuse a password, a damaged file, too many pages, and compressed streams that
    unpack out of all proportion (a PDF bomb), before the text reader unpacks anything. Each
    stream is unpacked at most up to what is left of the allowance."""
    import pikepdf

    name = path.name
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise ImportRefused(f"{name} er beskyttet med en adgangskode. Gem en udgave uden "
                            "adgangskode (fx med Udskriv > Gem som PDF), og importér den") from None
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        raise ImportRefused(f"{name} er beskadiget og kan ikke læses som PDF "
                            f"({type(exc).__name__}). Åbn den, gem den igen som PDF, og importér "
                            "den") from None
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise ImportRefused(f"{name} har {len(pdf.pages)} sider; en kvalitetsstandard har "
                                f"langt færre, og højst {MAX_PAGES} kan importeres. Tjek, at det "
                                "er det rigtige dokument")
        left = MAX_UNPACKED
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Stream) or obj.get("/Filter") != "/FlateDecode":
                continue
            try:
                inflate = zlib.decompressobj()
                left -= len(inflate.decompress(obj.read_raw_bytes(), max(left, 0) + 1))
            except (zlib.error, pikepdf.PdfError):
                continue  # a broken stream: the reader says so if it matters
            if left < 0:
                raise ImportRefused(f"{name} fylder {_mb(path.stat().st_size)}, men pakket ud "
                                    f"over {_mb(MAX_UNPACKED)}: det står ikke i forhold til et "
                                    "dokument (det ligner en zip-bombe). Filen er ikke læst. Gem "
                                    "dokumentet som PDF igen, og importér det")


def decode_text(data: bytes) -> tuple[str, str]:
    """Text from bytes and the encoding used: UTF-8 (with or without a byte-order mark),
    UTF-16 with a byte-order mark, else Windows-1252 (Danish Windows' own)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"
