"""The machine-checkable conditions of PDF/UA-1 (the Matterhorn Protocol) that apply to the
standard's PDF, checked with pikepdf as a validator would (veraPDF is in no registry here).

Each check returns a list of problems (empty when it passes), so a test can say exactly what
failed. What is not checked here, because no machine can: reading order beyond the tree's order,
whether alternative texts and headings make sense, colour contrast.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name

TEXT_OPS = {"Tj", "TJ", "'", '"'}
PAINT_OPS = TEXT_OPS | {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI"}
HEADINGS = ["/H1", "/H2", "/H3", "/H4", "/H5", "/H6"]


def kids(element) -> list:
    k = element.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, Array) else [k]


def elements(pdf) -> list[Dictionary]:
    """Every structure element, in document (depth-first) order."""
    found, seen = [], set()

    def walk(node) -> None:
        for kid in kids(node):
            if isinstance(kid, Dictionary) and kid.get("/Type") not in (Name.MCR, Name.OBJR):
                if kid.objgen in seen:
                    continue
                seen.add(kid.objgen)
                found.append(kid)
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


def document_flags(pdf) -> list[str]:
    problems = []
    root = pdf.Root
    if not (root.get("/MarkInfo") and bool(root.MarkInfo.get("/Marked"))):
        problems.append("not marked as tagged (/MarkInfo /Marked)")
    if "/StructTreeRoot" not in root:
        problems.append("no structure tree")
    if str(root.get("/Lang", "")) != "da":
        problems.append(f"/Lang is {root.get('/Lang')!r}, not (da)")
    prefs = root.get("/ViewerPreferences")
    if not (prefs and bool(prefs.get("/DisplayDocTitle"))):
        problems.append("the window does not show the title (DisplayDocTitle)")
    with pdf.open_metadata() as meta:
        if not meta.get("dc:title"):
            problems.append("no dc:title in the metadata")
        if str(meta.get("pdfuaid:part")) != "1":
            problems.append("not identified as PDF/UA-1 (pdfuaid:part)")
    return problems


def headings(pdf) -> list[str]:
    """The heading elements' types in order: ["/H1", "/H2", ...]."""
    return [str(e.S) for e in elements(pdf) if str(e.get("/S")) in HEADINGS]


def heading_skips(pdf) -> list[str]:
    levels = [HEADINGS.index(h) + 1 for h in headings(pdf)]
    problems = [] if levels[:1] == [1] else ["the first heading is not H1"]
    problems += [f"H{a} is followed by H{b}" for a, b in zip(levels, levels[1:], strict=False)
                 if b > a + 1]
    return problems


def outline(pdf) -> list[tuple[int, str]]:
    """(depth, title) of every bookmark."""
    found = []
    with pdf.open_outline() as tree:
        def walk(items, depth):
            for item in items:
                found.append((depth, item.title))
                walk(item.children, depth + 1)
        walk(tree.root, 0)
    return found


def _owners(pdf) -> dict[int, object]:
    found: dict[int, object] = {}

    def walk(node) -> None:
        nums = node.get("/Nums")
        if nums is not None:
            for i in range(0, len(nums), 2):
                found[int(nums[i])] = nums[i + 1]
        for kid in node.get("/Kids", []):
            walk(kid)

    walk(pdf.Root.StructTreeRoot.ParentTree)
    return found


def untagged_content(pdf) -> list[str]:
    """Every painting operator is inside marked content that is tagged (an MCID whose owner is
    in the tree) or an artifact (Matterhorn 01-001 to 01-004)."""
    problems = []
    reachable = {e.objgen for e in elements(pdf)}
    owners = _owners(pdf)
    for number, page in enumerate(pdf.pages, start=1):
        parents = owners.get(int(page.obj.get("/StructParents", -1)))
        stack: list[tuple[str, int | None]] = []
        loose = 0
        orphan = set()
        for operands, op in pikepdf.parse_content_stream(page):
            name = str(op)
            if name == "BMC":
                stack.append((str(operands[0]), None))
            elif name == "BDC":
                props = operands[1]
                mcid = int(props.get("/MCID")) if isinstance(props, Dictionary) and \
                    "/MCID" in props else None
                stack.append((str(operands[0]), mcid))
            elif name == "EMC":
                if stack:
                    stack.pop()
            elif name in PAINT_OPS:
                if any(tag == "/Artifact" for tag, _ in stack):
                    continue
                mcids = [m for _, m in stack if m is not None]
                if not mcids:
                    loose += 1
                    continue
                owner = parents[mcids[-1]] if parents is not None and mcids[-1] < len(
                    parents) else None
                if not isinstance(owner, Dictionary) or owner.objgen not in reachable:
                    orphan.add(mcids[-1])
        if loose:
            problems.append(f"page {number}: {loose} painting operators neither tagged nor "
                            "artifacts")
        if orphan:
            problems.append(f"page {number}: MCIDs {sorted(orphan)} belong to no element of the "
                            "tree")
    return problems


def links(pdf) -> list[str]:
    """Link elements hold their annotation (OBJR), and every link annotation has a description
    (/Contents) and belongs to a Link element (Matterhorn 28-008 to 28-011)."""
    problems = []
    link_elements = [e for e in elements(pdf) if e.get("/S") == Name.Link]
    for e in link_elements:
        if not any(isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR for k in kids(e)):
            problems.append("a Link element without its annotation")
    owners = _owners(pdf)
    for number, page in enumerate(pdf.pages, start=1):
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != Name.Link:
                continue
            if not str(annot.get("/Contents", "")).strip():
                problems.append(f"page {number}: a link annotation without /Contents")
            owner = owners.get(int(annot.get("/StructParent", -1)))
            if not (isinstance(owner, Dictionary) and owner.get("/S") == Name.Link):
                problems.append(f"page {number}: a link annotation outside a Link element")
    return problems


def lists_and_tables(pdf) -> list[str]:
    """L holds LI (or a nested L), LI holds Lbl and LBody; tables have rows of TH/TD, and every
    TH says its scope (Matterhorn 15-003, 16-001)."""
    problems = []
    for e in elements(pdf):
        kind = e.get("/S")
        children = [k for k in kids(e) if isinstance(k, Dictionary)
                    and k.get("/Type") not in (Name.MCR, Name.OBJR)]
        if kind == Name.L:
            wrong = {str(k.S) for k in children if k.S not in (Name.LI, Name.L, Name.Caption)}
            if wrong:
                problems.append(f"L holds {sorted(wrong)}")
        elif kind == Name.LI:
            wrong = {str(k.S) for k in children if k.S not in (Name.Lbl, Name.LBody)}
            if wrong:
                problems.append(f"LI holds {sorted(wrong)}")
        elif kind == Name.TR:
            wrong = {str(k.S) for k in children if k.S not in (Name.TH, Name.TD)}
            if wrong:
                problems.append(f"TR holds {sorted(wrong)}")
        elif kind == Name.TH:
            attributes = e.get("/A")
            if not (isinstance(attributes, Dictionary) and "/Scope" in attributes):
                problems.append("a TH without /Scope")
    return problems


def fonts(pdf) -> list[str]:
    """Every font is embedded and maps to Unicode (Matterhorn 31-001, 31-027)."""
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        for name, font in page.Resources.get("/Font", {}).items():
            descriptor_font = font.DescendantFonts[0] if font.get("/Subtype") == Name.Type0 \
                else font
            descriptor = descriptor_font.get("/FontDescriptor")
            if descriptor is None or not any(k in descriptor for k in
                                             ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"page {number}: font {name} is not embedded")
            if "/ToUnicode" not in font:
                problems.append(f"page {number}: font {name} has no ToUnicode map")
    return problems


def all_problems(path) -> list[str]:
    with pikepdf.open(path) as pdf:
        return (document_flags(pdf) + heading_skips(pdf) + untagged_content(pdf) + links(pdf)
                + lists_and_tables(pdf) + fonts(pdf))
