from django.core.management.base import BaseCommand

from dashboards import summaries
from demo import data, load


class Command(BaseCommand):
    help = "Load Lampung, a planning cycle, one demo account per role and sample proposals (idempotent)."

    def handle(self, *args, **options):
        users = load.load(stdout=self.stdout)
        # The country's and the province's dashboards read precomputed summaries: build them now,
        # so that the first visit shows figures rather than "being prepared".
        summaries.refresh()
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {data.PASSWORD}):"))
        for user in users.values():
            where = user.agency or (user.region.display_name if user.region else "Indonesia")
            self.stdout.write(f"  {user.username:<18} {user.get_role_display():<24} {where}")
        self.stdout.write("Open http://127.0.0.1:8000/ and log in.")
