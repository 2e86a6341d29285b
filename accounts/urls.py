"""The account pages, mounted at /akun/ (musrenbang/urls.py)."""

from django.urls import include, path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("baru/", views.account_create, name="create"),
    path("impor/", views.account_import, name="import"),
    path("impor/templat.xlsx", views.import_template, name="import_template"),
    path("impor/<uuid:pk>/lembar-sandi/", views.import_sheet, name="import_sheet"),
    path("lembar-sandi/", views.password_sheet, name="sheet"),
    path("<int:pk>/", views.account_edit, name="edit"),
    path("<int:pk>/nonaktifkan/", views.account_set_active, {"active": False}, name="deactivate"),
    path("<int:pk>/aktifkan/", views.account_set_active, {"active": True}, name="reactivate"),
    path("<int:pk>/tautan-sandi/", views.account_issue_link, name="issue_link"),
    path("<int:pk>/buka-kunci/", views.account_unlock, name="unlock"),
    path("sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("sandi/selesai/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("sandi/atur/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
    path("sandi/atur/selesai/", views.SetPasswordDoneView.as_view(), name="set_password_done"),
    path("lupa-sandi/", include("accounts.reset")),
]
