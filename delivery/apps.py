from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    """What became of the items the plan took in: budget, contract, progress, completion."""

    name = "delivery"
    verbose_name = _("Delivery")

    def ready(self):
        from uploads.readers import register

        from . import spreadsheet

        register(spreadsheet.KIND, spreadsheet.import_in_worker)
