from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from downloads.builders import register as register_builder
        from uploads.readers import register as register_reader

        from . import exports, spreadsheet
        from .sipd import importing as sipd

        register_builder(exports.KIND, exports.build_in_worker)
        register_reader(spreadsheet.KIND, spreadsheet.import_in_worker)
        register_reader(sipd.KIND, sipd.import_in_worker)
