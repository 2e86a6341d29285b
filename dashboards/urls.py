from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("dasbor/", views.staff, name="staff"),
    path("dasbor/sasaran/", views.targets, name="targets"),
    path("statistik/", views.public, name="public_home"),
    path("statistik/<str:code>/", views.public, name="public_region"),
]
