from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Exports that span the levels: they read proposals and every forum's decisions at once."""

    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from proposals import seams

        from .sipd import EXPORTS

        for name, export in EXPORTS.items():
            seams.offer_list_export(name, export)
