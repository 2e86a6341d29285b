from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Public pages")

    def ready(self):
        # Intake and deliberation tell whoever listens (proposals/seams.py): the followers' mail.
        from proposals import seams

        from .follow import FollowerListener

        seams.connect_listener(FollowerListener())
