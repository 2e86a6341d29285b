from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "region", "agency", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["region", "agency"]
    search_fields = ["username", "first_name", "last_name", "email", "region__name", "region__code"]
    # Regions number in the tens of thousands: search, never a drop-down.
    autocomplete_fields = ["region", "agency"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ["role", "region", "agency", "phone"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ["first_name", "last_name", "role", "region", "agency"]}),
    ]
