from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from uploads.readers import register

        from . import spreadsheet

        register(spreadsheet.KIND, spreadsheet.import_in_worker)
