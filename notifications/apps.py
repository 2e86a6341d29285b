from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Word to the officers: an inbox of what happened to their items and forums, and its mail."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Intake and deliberation tell whoever listens (proposals/seams.py); they never import us.
        from proposals import seams

        from .notify import Notifier

        seams.connect_listener(Notifier())
