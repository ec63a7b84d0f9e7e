"""``kvalitet ny-standard ID``: a new standard.yaml with every required key present and empty,
each marked for the editor to fill. No example text: nothing in it could go live by mistake,
because an empty required key is an error (``kvalitet check`` names each one, and the site is
not built until all are filled)."""

from __future__ import annotations

from pathlib import Path

from kvalitet.content.load import STANDARDS
from kvalitet.sources.importer import check_new_id
from kvalitet.sources.writer import FILL, SCHEMA_LINE

TEMPLATE = f"""{SCHEMA_LINE}
# Ny kvalitetsstandard. Udfyld hver nøgle mærket {FILL} med teksten fra den godkendte standard
# (handbog/README.md forklarer hver nøgle). "kvalitet check" nævner hver nøgle, der ikke er
# udfyldt, og sitet kan ikke bygges, før de alle er udfyldt.
title:  # {FILL}: standardens titel, som den står i den godkendte standard
law:  # {FILL}: kort lovgrundlag: lovens navn og paragraf
description:  # {FILL}: én sætning om standarden til søgeresultater og delte links

# Valgfrie nøgler, når standarden har dem: subtitle, approved, approved_by, in_force_from,
# review_by, document_url, facts, source_note, apply og glossary (se handbog/README.md).

sections:
  - id:  # {FILL}: afsnittets id: små bogstaver a-z, tal og bindestreger (æ ø å som ae oe aa)
    title:  # {FILL}: afsnittets overskrift, som standarden skriver den
    body:  # {FILL}: afsnittets tekst. Skriv "body: |" og teksten rykket ind på linjerne under
"""


def new_standard(root: Path, standard_id: str) -> str:
    """Write the template for ``standard_id``; returns the file's name as editors see it.
    Raises ImportRefused for an id that cannot be used (nothing written)."""
    check_new_id(root, standard_id)
    folder = root / STANDARDS / standard_id
    folder.mkdir(parents=True)
    (folder / "standard.yaml").write_text(TEMPLATE, "utf-8")
    return f"{STANDARDS}/{standard_id}/standard.yaml"
