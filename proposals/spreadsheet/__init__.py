"""Proposals entered on paper, typed into a spreadsheet and imported in one go.

COLUMNS is the one description of the file: the template is written from it, the reader checks
the header against it and maps each cell back to a ProposalForm field, and the tests build their
workbooks from it. Every row is validated by a ProposalForm, so a row is refused exactly when
the web form would refuse the same values; the reader only turns cells into what the form
expects (drop-down labels into choice values, Ya/Tidak into a ticked box).

The headers are Indonesian whatever the page's language: the file is a shared format, and a
template downloaded in English must still import in Indonesian. The instructions sheet and the
error messages follow the user's language.

The package has four parts: columns (the description of the file: sheet names, limits, COLUMNS
and the drop-down lists), template (writing the XLSX template), reading (checking an upload row by
row) and importing (the import as the background worker runs it). Everything other code uses is
re-exported here.
"""

from .columns import (
    BY_FIELD,
    CHOICE,
    COLUMNS,
    DECIMAL,
    FLAG,
    GUIDE_SHEET,
    INTEGER,
    LISTS_SHEET,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    NO,
    RUPIAH,
    SHEET,
    TEXT,
    YES,
    Choices,
    Column,
    choice_lists,
)
from .importing import KIND, import_in_worker
from .reading import Reading, RowError, read_proposals
from .template import template_workbook

__all__ = [
    "BY_FIELD",
    "CHOICE",
    "COLUMNS",
    "DECIMAL",
    "FLAG",
    "GUIDE_SHEET",
    "INTEGER",
    "LISTS_SHEET",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "NO",
    "RUPIAH",
    "SHEET",
    "TEXT",
    "YES",
    "Choices",
    "Column",
    "KIND",
    "Reading",
    "import_in_worker",
    "RowError",
    "choice_lists",
    "read_proposals",
    "template_workbook",
]
