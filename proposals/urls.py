from django.urls import path

from . import drafts, receipt, views, withdrawal
from .sipd import views as sipd

app_name = "proposals"
urlpatterns = [
    path("", views.ProposalListView.as_view(), name="list"),
    path("peta.geojson", views.proposal_points, name="points"),
    path("baru/", views.proposal_create, name="create"),
    path("impor/", views.proposal_import, name="import"),
    path("impor/templat.xlsx", views.import_template, name="import_template"),
    path("sipd/", sipd.sipd_import, name="sipd_import"),
    path("sipd/<uuid:pk>/", sipd.sipd_preview, name="sipd_preview"),
    path("ajukan-draf/", drafts.submit_drafts, name="drafts"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/ubah/", views.proposal_edit, name="edit"),
    path("<int:pk>/ajukan/", views.proposal_submit, name="submit"),
    path("<int:pk>/ajukan-kembali/", views.proposal_resubmit, name="resubmit"),
    path("<int:pk>/hapus/", views.proposal_delete, name="delete"),
    path("<int:pk>/tarik/", withdrawal.proposal_withdraw, name="withdraw"),
    path("<int:pk>/lampiran/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/tanda-terima/", receipt.proposal_receipt, name="receipt"),
]
