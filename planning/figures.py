"""An indicator's figures as officers write and read them: "4,13" (a comma before the decimals),
a range "0,6–1,8", shown with the unit ("4,13 %"), and a realisation judged against the
baseline and the target in the indicator's direction."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .models import Direction, Indicator

MAX_DECIMALS = 4
# A thousands group "1.000" or "12.345.678": dots between groups of three digits, no comma.
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
# Two numbers with a hyphen, an en or em dash, or "s.d."/"sampai" between them, as plans write a range.
_RANGE = re.compile(r"\s*(-?[\d.,]+)\s*(?:[-–—]|s\.?\s*d\.?|sampai)\s*(-?[\d.,]+)\s*", re.IGNORECASE)


class NotANumber(ValueError):
    pass


def parse_number(text: str) -> tuple[Decimal, int]:
    """(value, decimal places written) of a number typed the Indonesian way ("4,13", "1.000",
    "100.000,5") or the English way ("10.64"). Raises NotANumber."""
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if text.startswith("+"):
        text = text[1:]
    if "," in text:
        text = text.replace(".", "").replace(",", ".", 1)
    elif _THOUSANDS.match(text):
        text = text.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise NotANumber(text)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise NotANumber(text) from None
    return value, len(text.partition(".")[2])


def parse_figure(text: str) -> tuple[Decimal, Decimal | None, int]:
    """(low, high or None, decimal places) of a value or a range "0,6–1,8". Raises NotANumber."""
    found = _RANGE.fullmatch(text)
    if found is None:
        value, places = parse_number(text)
        return value, None, places
    (low, low_places), (high, high_places) = parse_number(found[1]), parse_number(found[2])
    return low, high, max(low_places, high_places)


def number(value: Decimal | None, decimals: int) -> str:
    """The number in the reader's language with the indicator's decimals: "4,13", "10.64"."""
    if value is None:
        return "–"
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True)


def written(indicator: Indicator, value: Decimal, high: Decimal | None = None) -> str:
    """A value or range as a form shows it to be typed again, in any language: "4,13", "0,6–1,8"
    (a comma before the decimals is never misread; "4.130" in English would be)."""

    def typed(figure: Decimal) -> str:
        return f"{figure:.{indicator.decimals}f}".replace(".", ",")

    return typed(value) if high is None else f"{typed(value)}–{typed(high)}"


def shown(indicator: Indicator, value: Decimal | None, high: Decimal | None = None) -> str:
    """A value or range of an indicator with its unit: "4,13 %", "0,6–1,8 %"."""
    if value is None:
        return "–"
    text = number(value, indicator.decimals)
    if high is not None:
        text += "–" + number(high, indicator.decimals)
    return f"{text} {indicator.unit}"


class Progress(models.TextChoices):
    MET = "met", _("Target met")
    BETTER = "better", _("Better than the baseline")
    SAME = "same", _("No change from the baseline")
    WORSE = "worse", _("Worse than the baseline")


def progress(indicator: Indicator, value: Decimal) -> Progress:
    """Where a realisation stands: at or past the target (the near end of a target range counts),
    else better or worse than the baseline (beyond its range, if it is one), in the indicator's
    direction."""
    lower = indicator.direction == Direction.LOWER
    target_end = (indicator.target_high or indicator.target) if lower else indicator.target
    if (value <= target_end) if lower else (value >= target_end):
        return Progress.MET
    low, high = indicator.baseline, indicator.baseline_high or indicator.baseline
    if value < low:
        return Progress.BETTER if lower else Progress.WORSE
    if value > high:
        return Progress.WORSE if lower else Progress.BETTER
    return Progress.SAME


def read_out(indicators) -> list[Indicator]:
    """The indicators (their `values` prefetched, oldest year first) with what a page prints:
    `baseline_shown`, `target_shown`, `realisations` (each with `shown` and `progress`) and
    `latest` (the last of them, or None). No query beyond the prefetch."""
    indicators = list(indicators)
    for indicator in indicators:
        realisations = list(indicator.values.all())
        for realisation in realisations:
            realisation.shown = shown(indicator, realisation.value)
            realisation.progress = progress(indicator, realisation.value)
        indicator.realisations = realisations
        indicator.baseline_shown = shown(indicator, indicator.baseline, indicator.baseline_high)
        indicator.target_shown = shown(indicator, indicator.target, indicator.target_high)
        indicator.latest = realisations[-1] if realisations else None
    return indicators
