"""The page plan and its Markdown: URLs, pages, rendering, glossary links, plain language."""
