from django.urls import path, re_path

from . import delivery_pages, follow_pages, views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("lacak/", views.track, name="track"),
    path("lacak/<str:code>/", views.track_detail, name="track_detail"),
    path("lacak/<str:code>/ikuti/", follow_pages.follow_ask, name="follow"),
    path("lacak/<str:code>/foto/<int:pk>/", views.photo, name="photo"),
    path("lacak/<str:code>/realisasi/foto/<int:pk>/", delivery_pages.delivery_photo, name="delivery_photo"),
    re_path(r"^ikuti/(?P<token>[A-Za-z0-9_-]{43})/$", follow_pages.follow_confirm, name="follow_confirm"),
    re_path(r"^ikuti/(?P<token>[A-Za-z0-9_-]{43})/berhenti/$", follow_pages.follow_stop, name="follow_stop"),
    path("hasil/", views.results, name="results"),
    re_path(r"^hasil/dokumen/(?P<code>[0-9A-Za-z]{10})\.pdf$", views.document, name="document"),
    re_path(r"^hasil/dokumen/(?P<code>[0-9A-Za-z]{10})/pindaian/$", views.document_scan, name="document_scan"),
    re_path(
        r"^hasil/(?P<code>\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)/(?P<year>\d{4})/$",
        views.region_results,
        name="region",
    ),
    re_path(
        r"^hasil/(?P<code>\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)/(?P<year>\d{4})/peta\.geojson$",
        views.region_points,
        name="region_points",
    ),
    re_path(
        r"^akuntabilitas/(?P<code>\d{2}\.\d{2}(?:\.\d{2})?)/(?P<year>\d{4})/$",
        delivery_pages.accountability_page,
        name="accountability",
    ),
    path("daftar-usulan/", views.record, name="record"),
    path("daftar-usulan/peta.geojson", views.record_points, name="record_points"),
    path("data-terbuka/", views.open_data, name="open_data"),
    re_path(
        r"^data-terbuka/(?P<code>\d{2}\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)/(?P<year>\d{4})\.(?P<extension>csv|json|geojson)$",
        views.open_data_file,
        name="open_data_file",
    ),
    path("v/<str:code>/", views.verify, name="verify"),
    path("verifikasi/", views.verify_upload, name="verify_upload"),
    path("verifikasi/rantai/", views.chain, name="chain"),
    path("verifikasi/rantai.csv", views.chain_csv, name="chain_csv"),
]
