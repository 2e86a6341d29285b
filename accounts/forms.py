"""The account form a Bappeda fills in (and every row of an account spreadsheet goes through).

A region is given by its Kemendagri code and an agency by its code or name, as a Bappeda has them
on paper: no drop-down could hold a province's 2,600 villages. The form refuses, with a message
that says why, a role above the manager's own, a region outside the manager's area, a region of
the wrong level for the role, an agency that is not one of the area's, and a username already
taken in any spelling of its case.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musrenbang.form_messages import SpecificMessagesMixin
from regions.models import Agency, Level, Region

from . import access
from .models import ROLE_LEVEL, CouncilSeat, Role, User


class Directory:
    """Where the form looks up regions, agencies and usernames.

    The web form asks one question at a time; an import first hands it every region code and
    username of the file (preload), so that a thousand rows cost a few queries, not thousands.
    """

    def __init__(self, manager):
        self.manager = manager
        self._regions: dict[str, Region | None] = {}
        self._agencies: dict[tuple, list[Agency]] = {}
        self._taken: set[str] | None = None

    def preload(self, *, codes, usernames) -> None:
        codes = {code for code in codes if code}
        self._regions.update(dict.fromkeys(codes))
        self._regions.update({region.code: region for region in Region.objects.filter(code__in=codes)})
        wanted = {name.lower() for name in usernames if name}
        taken = User.objects.annotate(folded=Lower("username")).filter(folded__in=wanted)
        self._taken = set(taken.values_list("folded", flat=True))

    def region(self, code: str) -> Region | None:
        if code not in self._regions:
            self._regions[code] = Region.objects.filter(code=code).first()
        return self._regions[code]

    def username_taken(self, username: str, *, account: User) -> bool:
        if self._taken is not None and account.pk is None:
            return username.lower() in self._taken
        return User.objects.filter(username__iexact=username).exclude(pk=account.pk).exists()

    def agencies(self, text: str, *, region: Region | None) -> list[Agency]:
        """The agencies of `region` (or of the manager's whole area) whose code, name, short name
        or "code name" (as the template's list writes them) is `text`, ignoring case."""
        key = (text.casefold(), region.pk if region else None)
        if key not in self._agencies:
            code, _space, name = text.partition(" ")
            named = (
                Q(code=text)
                | Q(name__iexact=text)
                | Q(short_name__iexact=text)
                | Q(code=code, name__iexact=name.strip())
            )
            agencies = access.agencies_in_area(self.manager)
            if region is not None:
                agencies = agencies.filter(region=region)
            self._agencies[key] = list(agencies.filter(named)[:5])
        return self._agencies[key]


class AccountForm(SpecificMessagesMixin, forms.ModelForm):
    name = forms.CharField(label=gettext_lazy("Full name"), max_length=150)
    region = forms.CharField(
        label=gettext_lazy("Region code"),
        max_length=13,
        required=False,
        help_text=gettext_lazy(
            "The Kemendagri code of the region the officer works for: 18.02.01.2003 for a village, "
            "18.02.01 for a district, 18.02 for a regency/city. For an agency officer, the agency's "
            "regency/city or province, or nothing when the agency's name is unique in your area."
        ),
        widget=forms.TextInput(attrs={"list": "regions", "autocomplete": "off", "inputmode": "decimal"}),
    )
    agency = forms.CharField(
        label=gettext_lazy("Agency"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Agency officers only: the agency's code or name."),
        widget=forms.TextInput(attrs={"list": "agencies", "autocomplete": "off"}),
    )

    dapil = forms.CharField(
        label=gettext_lazy("Electoral district (dapil)"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("DPRD members only, e.g. Dapil 1 (Kalirejo, Bangun Rejo)."),
    )
    faction = forms.CharField(
        label=gettext_lazy("Faction (fraksi)"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("DPRD members only: the member's faction in the council."),
    )

    class Meta:
        model = User
        fields = ["username", "role", "region", "agency", "phone", "email"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})}

    field_order = ["name", "username", "role", "region", "agency", "dapil", "faction", "phone", "email"]

    def __init__(self, *args, manager, directory: Directory | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.manager = manager
        self.directory = directory or Directory(manager)
        self.grantable = access.grantable_roles(manager)
        # Only the roles the manager may grant are offered; any other value that is posted still
        # reaches clean_role, which refuses it with a message instead of "not a valid choice".
        self.fields["role"].widget.choices = [(role.value, role.label) for role in self.grantable]
        self.fields["username"].help_text = _("Letters, digits and . _ - @ + only, e.g. desa.kalirejo.")
        self.fields["username"].widget.attrs.update(autocapitalize="none", autocomplete="off")
        account = self.instance
        if account.pk and not self.is_bound:
            self.initial["name"] = account.get_full_name()
            if account.agency_id:
                self.initial["region"] = account.agency.region.code
                self.initial["agency"] = account.agency.code
            else:
                self.initial["region"] = account.region.code if account.region_id else ""
                self.initial["agency"] = ""
            seat = CouncilSeat.objects.filter(user=account).first()
            if seat is not None:
                self.initial.update(dapil=seat.dapil, faction=seat.faction)

    @property
    def own(self) -> bool:
        return self.instance.pk is not None and self.instance.pk == self.manager.pk

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if username and self.directory.username_taken(username, account=self.instance):
            raise forms.ValidationError(
                _("The username “%(username)s” is already taken: choose another.") % {"username": username}
            )
        return username

    def clean_role(self):
        role = self.cleaned_data["role"]
        if role not in self.grantable:
            raise forms.ValidationError(
                _("You may not grant the role “%(role)s”: it is above your own.") % {"role": Role(role).label}
            )
        if self.own and role != self.instance.role:
            raise forms.ValidationError(_("You cannot change your own role; your own Bappeda can."))
        return role

    def clean_region(self):
        code = self.cleaned_data["region"].strip()
        if not code:
            return None
        region = self.directory.region(code)
        if region is None:
            raise forms.ValidationError(_("There is no region with the code “%(code)s”.") % {"code": code})
        if not access.region_in_area(self.manager, region):
            raise forms.ValidationError(
                _("%(region)s is outside your area, %(area)s.")
                % {"region": region, "area": access.area_of(self.manager).display_name}
            )
        return region

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role is None or "region" in self.errors:
            return cleaned  # what follows needs a role the manager may grant and a known region
        region, agency = cleaned.get("region"), (cleaned.get("agency") or "").strip()
        if role == Role.ADMIN:
            if region is not None:
                self.add_error("region", _("An administrator works for no region: leave the region code empty."))
        elif role == Role.AGENCY_OFFICER:
            region = self._agency_region(region, agency, cleaned)
        else:
            if region is None:
                self.add_error(
                    "region",
                    _("Give the code of the %(level)s this officer works for.")
                    % {"level": Level(ROLE_LEVEL[role]).label.lower()},
                )
            elif region.level != ROLE_LEVEL[role]:
                self.add_error(
                    "region",
                    _("A %(role)s works for a %(level)s, but %(region)s is a %(actual)s.")
                    % {
                        "role": Role(role).label.lower(),
                        "level": Level(ROLE_LEVEL[role]).label.lower(),
                        "region": region,
                        "actual": region.get_level_display().lower(),
                    },
                )
        if role != Role.AGENCY_OFFICER:
            if agency:
                self.add_error("agency", _("Only agency officers belong to an agency: leave the agency empty."))
            cleaned["agency"] = None
        self._seat(role, cleaned)
        if self.own and region != self.instance.region and "region" not in self.errors:
            self.add_error("region", _("You cannot change your own region; your own Bappeda can."))
        cleaned["region"] = region
        self.instance.first_name, self.instance.last_name = cleaned.get("name", ""), ""
        return cleaned

    def _seat(self, role, cleaned) -> None:
        """A DPRD member's dapil and faction, both required, handed to the workflow on the unsaved
        account (accounts.workflow saves them as its CouncilSeat); nobody else has them."""
        dapil, faction = (" ".join((cleaned.get(name) or "").split()) for name in ("dapil", "faction"))
        if role == Role.DPRD_MEMBER:
            if not dapil:
                self.add_error("dapil", _("Give the electoral district (dapil) of a DPRD member."))
            if not faction:
                self.add_error("faction", _("Give the faction of a DPRD member."))
            self.instance.pending_seat = (dapil, faction)
        else:
            for name, value in (("dapil", dapil), ("faction", faction)):
                if value:
                    self.add_error(name, _("Only DPRD members have a dapil and a faction: leave this empty."))
            self.instance.pending_seat = None

    def _agency_region(self, region, text: str, cleaned) -> Region | None:
        """Find an agency officer's agency (in `region`, or anywhere in the manager's area) and
        return its region, which is the officer's."""
        cleaned["agency"] = None
        if not text:
            self.add_error("agency", _("Give the agency of an agency officer: its code or its name."))
            return region
        found = self.directory.agencies(text, region=region)
        where = region.display_name if region else _("your area")
        if not found:
            message = _("There is no agency “%(agency)s” in %(where)s.")
            self.add_error("agency", message % {"agency": text, "where": where})
        elif len(found) > 1:
            self.add_error(
                "agency",
                _("“%(agency)s” names several agencies in %(where)s: give its code and the code of its region.")
                % {"agency": text, "where": where},
            )
        else:
            cleaned["agency"] = found[0]
            return found[0].region
        return region

    def _post_clean(self):
        # The model's own clean() repeats, in its words, what clean() has already refused; run
        # it (and build the instance) only for a form without errors, so each fault shows once.
        if not self.errors:
            super()._post_clean()

    def validate_unique(self):
        # clean_username has already refused the username in any spelling of its case, which the
        # unique index (case-sensitive) would not; an import would also pay one query per row.
        pass

    def validate_constraints(self):
        # clean() has checked what the model's two check constraints say (a region for every role
        # but administrator, an agency exactly for agency officers), with messages that say why;
        # Django would run a query per constraint per row to check them again. The database still does.
        pass


# Django's own account forms, with messages that name the field ("Isi nama pengguna.").
class LoginForm(SpecificMessagesMixin, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(SpecificMessagesMixin, auth_forms.PasswordChangeForm):
    pass


class SetPasswordForm(SpecificMessagesMixin, auth_forms.SetPasswordForm):
    pass
