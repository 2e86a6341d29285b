from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from accounts.forms import LoginForm

urlpatterns = [
    # "" is the public home page (public.urls): officers are sent on to their proposal list.
    path(
        "masuk/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before proposals and forums: the planning pages live under their prefixes.
    path("", include("planning.urls")),
    path("usulan/", include("proposals.urls")),
    path("pokir/", include("pokir.urls")),
    path("musyawarah/", include("forums.urls")),
    path("unduhan/", include("downloads.urls")),
    path("unggahan/", include("uploads.urls")),
    path("realisasi/", include("delivery.urls")),
    path("kamus/", include("catalogue.urls")),
    path("jejak/", include("audit.urls")),
    path("laporan/", include("reports.urls")),
    path("akun/", include("accounts.urls")),
    path("kotak-masuk/", include("notifications.urls")),
    path("admin/", admin.site.urls),
    # Browsers and crawlers ask for /favicon.ico whatever the page says; the pages link the SVG.
    # Lazy: the hashed name comes from the static manifest, read on the first request, not at import.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.ico"), permanent=True)),
    path("", include("dashboards.urls")),
    path("", include("public.urls")),
]

if settings.DEBUG:
    admin.site.site_header = "Musrenbang (dev)"
