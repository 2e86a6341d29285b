"""The SIPD import's form: the file (XLSX or CSV), the plan year its new proposals are filed
under, the sector for those whose Sub Kegiatan names none, and for the administrator the kabupaten."""

from django import forms
from django.utils.translation import gettext_lazy

from planning.models import PlanningYear, Sector
from regions.models import Level, Region
from uploads.forms import ImportForm


class SipdImportForm(ImportForm):
    planning_year = forms.ModelChoiceField(
        label=gettext_lazy("Plan year of new proposals"), queryset=PlanningYear.objects.all()
    )
    sector = forms.ModelChoiceField(
        label=gettext_lazy("Sector of new proposals"),
        queryset=Sector.objects.all(),
        help_text=gettext_lazy(
            "SIPD's export carries no sector: a new proposal whose Sub Kegiatan starts with a code "
            "(such as 1.03.10.2.01.0001) is filed under that code's sector, any other under this one."
        ),
    )

    def __init__(self, *args, kabupaten=None, **kwargs):
        super().__init__(*args, label=gettext_lazy("SIPD usulan export (.xlsx or .csv)"), **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"
        if kabupaten is None:  # the administrator chooses
            self.fields["kabupaten"] = forms.ModelChoiceField(
                label=gettext_lazy("Regency/city"),
                queryset=Region.objects.filter(level=Level.KABUPATEN).order_by("code"),
            )
        self.order_fields(["kabupaten", "planning_year", "sector", "file"])
