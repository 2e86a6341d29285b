from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """The kamus usulan: the items a kabupaten's villages pick their proposals from."""

    name = "catalogue"
    verbose_name = _("Catalogue of proposals")

    def ready(self):
        from uploads.readers import register

        from . import spreadsheet

        register(spreadsheet.KIND, spreadsheet.import_in_worker)
