"""One module per consumer of the page plan: MkDocs, export, PDF, CMS, search, schemas."""
