from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from downloads.builders import register

        from .exports import KIND, build_in_worker

        register(KIND, build_in_worker)
