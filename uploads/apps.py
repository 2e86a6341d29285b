from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UploadsConfig(AppConfig):
    """Spreadsheets an officer sends that the background worker reads and imports."""

    name = "uploads"
    verbose_name = _("Uploads")
