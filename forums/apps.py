from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self):
        # Intake asks deliberation where a submitted proposal waits, whether the village may
        # still withdraw it, and what a decision's code says (proposals/seams.py): forums
        # answer, so that proposals never import forums.
        from proposals import seams

        from .workflow.intake import Deliberation

        seams.connect_deliberation(Deliberation())

        from uploads.readers import register

        from . import attendance_import

        register(attendance_import.KIND, attendance_import.import_in_worker)
