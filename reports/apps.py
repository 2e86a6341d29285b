from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Exports that span the levels: they read proposals and every forum's decisions at once."""

    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from downloads.builders import register
        from proposals import seams

        from .pdf import build_renja_pdf
        from .sipd import EXPORTS
        from .views import PDF_KIND

        for name, export in EXPORTS.items():
            seams.offer_list_export(name, export)
        register(PDF_KIND, build_renja_pdf)
