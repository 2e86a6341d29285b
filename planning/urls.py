"""The planning pages keep the addresses officers know: the schedule under /usulan/, the
regional priorities under /musyawarah/ (mounted at the site root, before those two apps)."""

from django.urls import path

from . import offices, views

app_name = "planning"
urlpatterns = [
    path("usulan/jadwal/", views.schedule_edit, name="schedule"),
    path("usulan/jadwal/susulan/", views.late_entries, name="late_entries"),
    path("musyawarah/prioritas/", views.priorities, name="priorities"),
    path("musyawarah/prioritas/<int:priority_pk>/", views.priority_edit, name="priority_edit"),
    path("musyawarah/prioritas/<int:priority_pk>/hapus/", views.priority_remove, name="priority_remove"),
    path("musyawarah/kop-surat/", offices.offices, name="offices"),
    path("musyawarah/kop-surat/<str:kind>/<int:pk>/", offices.office_edit, name="office_edit"),
]
