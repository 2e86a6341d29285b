"""Which plan year a page shows."""

from django.utils import timezone

from .models import PlanningYear


def chosen_year(request):
    """The plan year asked for in ?year= (or the form's year), else next year's plan (the one
    being prepared), else the latest; with every planning year, for the page's year picker."""
    years = list(PlanningYear.objects.all())
    wanted = request.POST.get("year") or request.GET.get("year")
    by_year = {str(y.year): y for y in years}
    chosen = by_year.get(wanted) or by_year.get(str(timezone.localdate().year + 1)) or (years[0] if years else None)
    return chosen, years
