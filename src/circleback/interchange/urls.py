from django.urls import path

from circleback.interchange import views

app_name = "interchange"

urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("import/duplicates/", views.duplicates, name="duplicates"),
    path("import/applications/", views.import_applications, name="import_applications"),
    path("import/duplicates/<str:pair_uuid>/", views.duplicate_resolve, name="duplicate_resolve"),
    path("import/<str:upload_uuid>/", views.import_detail, name="import_detail"),
    path("import/<str:upload_uuid>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<str:upload_uuid>/status/", views.import_status, name="import_status"),
    path("export/<str:format>/", views.export_download, name="export"),
    path("people/<str:uuid>/photo", views.photo, name="photo"),
]
