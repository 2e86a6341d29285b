from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.catalogue_list, name="list"),
    path("tambah/", views.item_add, name="add"),
    path("<int:pk>/", views.item_edit, name="edit"),
    path("<int:pk>/aktif/", views.item_active, name="active"),
    path("unduh.xlsx", views.catalogue_download, name="download"),
    path("impor/", views.catalogue_import, name="import"),
    path("cari/", views.catalogue_search, name="search"),
]
