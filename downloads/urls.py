from django.urls import path

from . import views

app_name = "downloads"
urlpatterns = [
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/berkas/", views.file, name="file"),
]
