from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PokirConfig(AppConfig):
    name = "pokir"
    verbose_name = _("Pokir DPRD")
