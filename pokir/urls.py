from django.urls import path

from . import views

app_name = "pokir"
urlpatterns = [
    path("", views.pokir_list, name="list"),
    path("baru/", views.pokir_create, name="create"),
    path("<int:pk>/", views.pokir_detail, name="detail"),
    path("<int:pk>/ubah/", views.pokir_edit, name="edit"),
    path("<int:pk>/ajukan/", views.pokir_submit, name="submit"),
    path("<int:pk>/hapus/", views.pokir_delete, name="delete"),
    path("<int:pk>/verifikasi/", views.pokir_verify, name="verify"),
    path("<int:pk>/kembalikan/", views.pokir_return, name="return"),
]
