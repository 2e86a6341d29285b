from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("renja/", views.renja_index, name="renja_index"),
    path("renja/<int:pk>/", views.renja_detail, name="renja"),
]
