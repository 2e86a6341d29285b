from django.urls import path

from . import views

app_name = "forums"
urlpatterns = [
    path("", views.forum_list, name="list"),
    path("kriteria/", views.criteria_edit, name="criteria"),
    path("pagu/", views.ceilings_edit, name="ceilings"),
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
