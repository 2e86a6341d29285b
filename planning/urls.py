"""The planning pages keep the addresses officers know: the schedule under /usulan/, the
regional priorities and their targets (sasaran) under /musyawarah/ (mounted at the site root, before those two apps)."""

from django.urls import path

from . import offices, targets, views

app_name = "planning"
urlpatterns = [
    path("usulan/jadwal/", views.schedule_edit, name="schedule"),
    path("usulan/jadwal/susulan/", views.late_entries, name="late_entries"),
    path("musyawarah/prioritas/", views.priorities, name="priorities"),
    path("musyawarah/prioritas/<int:priority_pk>/", views.priority_edit, name="priority_edit"),
    path("musyawarah/prioritas/<int:priority_pk>/hapus/", views.priority_remove, name="priority_remove"),
    path("musyawarah/prioritas/<int:priority_pk>/sasaran/", targets.targets, name="targets"),
    path("musyawarah/sasaran/<int:indicator_pk>/", targets.indicator_edit, name="indicator_edit"),
    path("musyawarah/sasaran/<int:indicator_pk>/hapus/", targets.indicator_remove, name="indicator_remove"),
    path("musyawarah/sasaran/<int:indicator_pk>/realisasi/", targets.realisations, name="realisations"),
    path(
        "musyawarah/sasaran/<int:indicator_pk>/realisasi/<int:year>/hapus/",
        targets.realisation_remove,
        name="realisation_remove",
    ),
    path("musyawarah/kop-surat/", offices.offices, name="offices"),
    path("musyawarah/kop-surat/<str:kind>/<int:pk>/", offices.office_edit, name="office_edit"),
]
