from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DownloadsConfig(AppConfig):
    """Files built in the background worker for one officer: a big export, later a big report."""

    name = "downloads"
    verbose_name = _("Downloads")
