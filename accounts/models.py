"""Officers: each account has one role bound to one region (and, for agency staff, one agency)."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from regions.models import Level


class Role(models.TextChoices):
    VILLAGE_OPERATOR = "village_operator", _("Village operator")
    KECAMATAN_OPERATOR = "kecamatan_operator", _("District operator")
    AGENCY_OFFICER = "agency_officer", _("Agency officer")
    # The regional parliament's channel (pokok-pikiran DPRD): its members enter, its secretariat
    # (Setwan) verifies; both work for a kabupaten/kota. Neither has a region scope of its own
    # (accounts/scope.py): what they see of proposals is proposals/queries.py's Pokir rule.
    DPRD_MEMBER = "dprd_member", _("DPRD member")
    DPRD_SECRETARIAT = "dprd_secretariat", _("DPRD secretariat (Setwan)")
    BAPPEDA_KABUPATEN = "bappeda_kabupaten", _("Bappeda regency/city")
    BAPPEDA_PROVINSI = "bappeda_provinsi", _("Bappeda province")
    ADMIN = "admin", _("Administrator")


# The roles of the DPRD channel.
COUNCIL_ROLES = {Role.DPRD_MEMBER, Role.DPRD_SECRETARIAT}


# The level of region each role is bound to; administrators are bound to none.
ROLE_LEVEL = {
    Role.VILLAGE_OPERATOR: Level.DESA,
    Role.KECAMATAN_OPERATOR: Level.KECAMATAN,
    Role.BAPPEDA_KABUPATEN: Level.KABUPATEN,
    Role.BAPPEDA_PROVINSI: Level.PROVINSI,
    Role.DPRD_MEMBER: Level.KABUPATEN,
    Role.DPRD_SECRETARIAT: Level.KABUPATEN,
}


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VILLAGE_OPERATOR)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("region"),
        help_text=_("The region this account works for. Agency officers take their agency's region."),
    )
    agency = models.ForeignKey(
        "regions.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("agency"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        constraints = [
            # Every officer but an administrator works for a region; only agency officers have an agency.
            models.CheckConstraint(
                condition=models.Q(role="admin") | models.Q(region__isnull=False),
                name="user_role_needs_region",
            ),
            models.CheckConstraint(
                condition=models.Q(role="agency_officer", agency__isnull=False)
                | (~models.Q(role="agency_officer") & models.Q(agency__isnull=True)),
                name="user_agency_iff_agency_officer",
            ),
        ]
        # The officer list (accounts/filters.py): each filter with the username order beside it,
        # the name order, and the username in any case (the form's "already taken" check). The
        # search's trigram indexes are PostgreSQL's own and live in migration 0002 alone.
        indexes = [
            models.Index(fields=["region", "username"], name="user_region_username"),
            models.Index(fields=["role", "username"], name="user_role_username"),
            models.Index(fields=["is_active", "username"], name="user_active_username"),
            models.Index(fields=["first_name", "last_name", "username"], name="user_name"),
            models.Index(Upper("username"), name="user_username_upper"),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        if self.role == Role.AGENCY_OFFICER and self.agency_id:
            self.region = self.agency.region
        expected = ROLE_LEVEL.get(self.role)
        if expected and self.region_id and self.region.level != expected:
            raise ValidationError(
                {
                    "region": _("A %(role)s must be bound to a %(level)s.")
                    % {"role": self.get_role_display(), "level": Level(expected).label}
                }
            )
        if self.role == Role.AGENCY_OFFICER and not self.agency_id:
            raise ValidationError({"agency": _("An agency officer must belong to an agency.")})
        if self.role != Role.AGENCY_OFFICER and self.agency_id:
            raise ValidationError({"agency": _("Only agency officers belong to an agency.")})
        if self.role != Role.ADMIN and not self.region_id and not self.agency_id:
            raise ValidationError({"region": _("This role must be bound to a region.")})
        if self.role == Role.ADMIN:
            self.is_staff = True

    @property
    def is_village_operator(self) -> bool:
        return self.role == Role.VILLAGE_OPERATOR


class CouncilSeat(models.Model):
    """A DPRD member's seat: the electoral district (dapil) and the faction (fraksi). Kept beside
    the account rather than on it: only members have one, and the Pokir pages and exports read it."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="council_seat", verbose_name=_("member")
    )
    dapil = models.CharField(_("electoral district (dapil)"), max_length=100)
    faction = models.CharField(_("faction (fraksi)"), max_length=100)

    class Meta:
        verbose_name = _("DPRD seat")
        verbose_name_plural = _("DPRD seats")

    def __str__(self):
        return f"{self.dapil} · {self.faction}"


class SentForm(models.Model):
    """A form that creates something, as sent once (accounts/once.py): its one-time token, and
    where the first send led. A second send of the same form (a double tap on a slow line, a
    reload of the POST) finds the row and goes there instead of creating it again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField()
    sent_at = models.DateTimeField(auto_now_add=True)
    result_url = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="one_send_per_form")]
        indexes = [models.Index(fields=["user", "sent_at"], name="sent_form_by_age")]

    def __str__(self):
        return f"{self.user_id}/{self.token}"
