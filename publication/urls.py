from django.urls import path

from . import views

app_name = "publication"
urlpatterns = [
    path("", views.publication_list, name="list"),
    path("dcat.jsonld", views.dcat, name="dcat"),
    path("kelola/<int:pk>/", views.manage, name="manage"),
    path("kelola/<int:pk>/terbitkan/", views.publish, name="publish"),
    path("kelola/<int:pk>/tarik/", views.unpublish, name="unpublish"),
    path("<slug:slug>/", views.publication_detail, name="detail"),
    path("<slug:slug>/program.csv", views.programmes_csv, name="programmes_csv"),
    path("<slug:slug>/program.json", views.programmes_json, name="programmes_json"),
    path("<slug:slug>/realisasi.csv", views.realisation_csv, name="realisation_csv"),
    path("<slug:slug>/datapackage.json", views.datapackage, name="datapackage"),
    path("<slug:slug>/dcat.jsonld", views.dcat, name="dcat_one"),
    path("<slug:slug>/masterplan.pdf", views.pdf, name="pdf"),
]
