"""Complete, correct examples of the blocks editors get wrong most often, shown under every
message about them (in the terminal and on the preview's error page)."""

ADDRESS_EXAMPLE = """address:
  street: Eksempelvej 1
  postcode: 1234
  city: Eksempelby"""
HOURS_EXAMPLE = """opening_hours:
  - days: [man-tors]
    opens: 9
    closes: 12
  - days: [man-tors]
    opens: 12.30
    closes: 15
  - days: [fre]
    opens: 9
    closes: 13
    note: Lukket i juli"""
