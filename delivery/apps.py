from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    """What became of the items the plan took in: budget, contract, progress, completion."""

    name = "delivery"
    verbose_name = _("Delivery")
