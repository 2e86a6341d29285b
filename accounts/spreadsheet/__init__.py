"""Officers typed into a spreadsheet and created in one go by their Bappeda.

COLUMNS (columns.py) is the one description of the file: the template (template.py) is written
from it, and the reader (reading.py) checks the header against it and hands each row to the
AccountForm the web page uses; importing.py is the import as the background worker runs it.
Imitates proposals/spreadsheet/, which accounts may not import.
"""

from .columns import COLUMNS, GUIDE_SHEET, LISTS_SHEET, MAX_ROWS, SHEET
from .importing import KIND, import_in_worker
from .reading import Reading, RowError, read_accounts
from .template import template_workbook

__all__ = [
    "COLUMNS",
    "GUIDE_SHEET",
    "LISTS_SHEET",
    "MAX_ROWS",
    "SHEET",
    "KIND",
    "Reading",
    "RowError",
    "import_in_worker",
    "read_accounts",
    "template_workbook",
]
