from django.urls import path

from . import views

app_name = "forums"
urlpatterns = [
    path("", views.forum_list, name="list"),
    path("kriteria/", views.criteria_edit, name="criteria"),
    path("pagu/", views.ceilings_edit, name="ceilings"),
    path("musim/", views.season_board, name="season"),
    path("musim/kalender/", views.season_calendar, name="season_calendar"),
    path("musim/unduh.xlsx", views.season_export_xlsx, name="season_export"),
    path("musim/rencanakan/", views.season_plan, name="season_plan"),
    path("musim/tetapkan-tim/", views.season_assign, name="season_assign"),
    path("musim/<int:pk>/", views.forum_plan, name="forum_plan"),
    path("tim-monitoring/", views.team_list, name="teams"),
    path("tim-monitoring/<int:pk>/", views.team_edit, name="team"),
    path("tim-monitoring/<int:pk>/hapus/", views.team_delete, name="team_delete"),
    path("<int:pk>/", views.forum_detail, name="detail"),
    path("<int:pk>/ubah/", views.forum_edit, name="edit"),
    path("<int:pk>/hadir/", views.attendance, name="attendance"),
    path("<int:pk>/hadir/<int:attendee_pk>/hapus/", views.attendee_remove, name="attendee_remove"),
    path("<int:pk>/delegasi/", views.delegates, name="delegates"),
    path("<int:pk>/delegasi/<int:delegate_pk>/hapus/", views.delegate_remove, name="delegate_remove"),
    path("<int:pk>/usulan/<int:decision_pk>/", views.decision_edit, name="decision"),
    path("<int:pk>/usulan/<int:decision_pk>/skor/", views.decision_score, name="score"),
    path("<int:pk>/usulan/<int:decision_pk>/klasifikasi/", views.decision_classify, name="classify"),
    path("<int:pk>/peringkat/", views.ranking, name="ranking"),
    path("<int:pk>/peringkat/unduh.<str:fmt>", views.ranking_export, name="ranking_export"),
    path("<int:pk>/peringkat/urut-skor/", views.ranking_order_by_score, name="order_by_score"),
    path("<int:pk>/peringkat/<int:decision_pk>/geser/", views.ranking_move, name="move"),
    path("<int:pk>/peringkat/potong/", views.ranking_cut, name="cut"),
    path("<int:pk>/peringkat/alasan/", views.ranking_override, name="override"),
    path("<int:pk>/setujui/", views.approve, name="approve"),
    path("<int:pk>/revisi/", views.revise, name="revise"),
    path("<int:pk>/dokumen/<int:doc_pk>/", views.document_download, name="document"),
    path("<int:pk>/tabel-t-d4/", views.td4_download, name="td4"),
]
