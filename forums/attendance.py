"""Who attended a forum: the counts by gender and element, and the attendance rule approval checks.

The attendance rule (docs/rules.md, "Attendance rule"):

- Every forum needs an attendance list before approval: a berita acara says "dihadiri oleh ...
  sesuai daftar hadir (Lampiran I)", and one that reads "0 (nol) orang" has no standing.
- A Musrenbang Desa is attended by the village government, the Badan Permusyawaratan Desa and
  the elements of society (Permendagri 114/2014, Pedoman Pembangunan Desa: the musyawarah
  perencanaan pembangunan Desa "diikuti oleh Pemerintah Desa, Badan Permusyawaratan Desa dan
  unsur masyarakat"; the same regulation lists the unsur masyarakat: tokoh adat, agama,
  masyarakat and pendidikan, kelompok tani, nelayan, perajin, perempuan, pemerhati dan
  pelindungan anak, masyarakat miskin). So its list must name someone of the village government,
  someone of the BPD and at least one element of society.
- A Musrenbang Kelurahan has no BPD: the kelurahan's government and an element of society.
- A Musrenbang Kecamatan hears the delegates the villages elected and the elements of society
  (Permendagri 86/2017, the Musrenbang RKPD kabupaten/kota di kecamatan: wakil desa/kelurahan,
  wakil kelompok masyarakat; perangkat daerah and DPRD members are invited and counted, but their
  absence does not stop the villages' result). So: a delegate of a desa or kelurahan and at
  least one element of society.
- At both levels at least one woman attends: the kelompok perempuan is one of the unsur the
  regulation names, and a village forum without a single woman has not heard them.

Not every element is required: a mountain village has no fishers' group, a town kelurahan no
customary leader. One of them is the floor the regulation supports without inventing a quorum.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regions.models import Kind, Level

from .models import Element, Forum, ForumKind, Gender

# The elements of society (unsur masyarakat): Permendagri 114/2014's list, with the village's
# community institutions and people with disabilities (UU 8/2016 gives them a say in planning).
COMMUNITY = frozenset(
    {
        Element.COMMUNITY_INSTITUTION,
        Element.CUSTOMARY_LEADER,
        Element.RELIGIOUS_LEADER,
        Element.COMMUNITY_LEADER,
        Element.EDUCATION_FIGURE,
        Element.FARMERS,
        Element.FISHERS,
        Element.CRAFTSPEOPLE,
        Element.WOMEN,
        Element.CHILD_PROTECTION,
        Element.POOR,
        Element.DISABILITY,
    }
)

# How the choices are grouped in the form's drop-down.
GROUPS = [
    (gettext_lazy("Government and village bodies"), [Element.VILLAGE_GOVERNMENT, Element.BPD]),
    (gettext_lazy("Elements of society"), sorted(COMMUNITY, key=list(Element).index)),
    (
        gettext_lazy("Kecamatan forum"),
        [Element.VILLAGE_DELEGATE, Element.DISTRICT_GOVERNMENT, Element.AGENCY, Element.DPRD],
    ),
    (gettext_lazy("Other"), [Element.OTHER]),
]


@dataclass(frozen=True)
class Requirement:
    label: object  # what the message names when it is missing
    elements: frozenset


GOVERNMENT = Requirement(gettext_lazy("the village or kelurahan government"), frozenset({Element.VILLAGE_GOVERNMENT}))
BPD = Requirement(gettext_lazy("the village consultative body (BPD)"), frozenset({Element.BPD}))
SOCIETY = Requirement(gettext_lazy("an element of society (tokoh, kelompok tani, perempuan, ...)"), COMMUNITY)
DELEGATES = Requirement(gettext_lazy("a delegate of a desa or kelurahan"), frozenset({Element.VILLAGE_DELEGATE}))


def requirements(forum: Forum) -> list[Requirement]:
    """The elements the forum's attendance list must name (none beyond someone at all above the
    kecamatan and at agency forums)."""
    if forum.kind != ForumKind.MUSRENBANG:
        return []
    if forum.level == Level.DESA:
        return [GOVERNMENT, SOCIETY] if forum.region.kind == Kind.KELURAHAN else [GOVERNMENT, BPD, SOCIETY]
    if forum.level == Level.KECAMATAN:
        return [DELEGATES, SOCIETY]
    return []


def needs_a_woman(forum: Forum) -> bool:
    return forum.kind == ForumKind.MUSRENBANG and forum.level in (Level.DESA, Level.KECAMATAN)


@dataclass(frozen=True)
class Counts:
    total: int
    women: int
    men: int
    by_element: list[tuple[str, str, int]]  # (element, label, count), in the choices' order, none empty

    def of(self, element: str) -> int:
        return next((n for value, _label, n in self.by_element if value == element), 0)


def counts(forum: Forum) -> Counts:
    """How many attended, by gender and by element: one query."""
    elements, genders = Counter(), Counter()
    for row in forum.attendees.order_by().values("element", "gender").annotate(n=Count("id")):
        elements[row["element"]] += row["n"]
        genders[row["gender"]] += row["n"]
    return Counts(
        total=sum(genders.values()),
        women=genders[Gender.FEMALE],
        men=genders[Gender.MALE],
        by_element=[(e.value, str(e.label), elements[e.value]) for e in Element if elements[e.value]],
    )


def problems(forum: Forum, found: Counts | None = None) -> list[str]:
    """What the attendance list lacks for approval, as messages for the officer."""
    found = found or counts(forum)
    if not found.total:
        return [
            _(
                "Nobody is on the attendance list. Record who attended (Lampiran I of the berita acara) "
                "before approving."
            )
        ]
    result = []
    if needs_a_woman(forum) and not found.women:
        result.append(_("At least one woman must attend this forum; the attendance list names none."))
    present = {value for value, _label, _n in found.by_element}
    missing = [str(r.label) for r in requirements(forum) if not r.elements & present]
    if missing:
        result.append(_("The attendance list names nobody for: %(missing)s.") % {"missing": "; ".join(missing)})
    return result
