from django.urls import path

from . import views

app_name = "delivery"
urlpatterns = [
    path("", views.delivery_list, name="list"),
    path("unduh.xlsx", views.delivery_download, name="download"),
    path("impor/", views.delivery_import, name="import"),
    path("<int:pk>/", views.delivery_detail, name="detail"),
    path("<int:pk>/foto/<int:photo_pk>/", views.delivery_photo, name="photo"),
]
