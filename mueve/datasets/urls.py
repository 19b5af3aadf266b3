from django.urls import path

from mueve.datasets import views
from mueve.datasets.views import governance, own_data

app_name = "datasets"
urlpatterns = [
    path("", views.dataset_list, name="list"),
    # Governance (before any "<slug>/" page: "convenios" and "gobernanza" are not dataset names).
    path("convenios/", governance.agreement_list, name="agreements"),
    path("convenios/<int:pk>/", governance.agreement_detail, name="agreement"),
    path("convenios/<int:pk>/firmar", governance.agreement_sign, name="agreement_sign"),
    path("convenios/<int:pk>/documento", governance.agreement_document, name="agreement_document"),
    path("convenios/<int:pk>/activar", governance.agreement_activate, name="agreement_activate"),
    path("convenios/<int:pk>/revocar", governance.agreement_revoke, name="agreement_revoke"),
    path("convenios/<int:pk>/convenio.pdf", governance.agreement_signed_document, name="agreement_pdf"),
    path("gobernanza/", governance.governance, name="governance"),
    path("gobernanza/politica/nueva/", governance.policy_publish, name="policy_publish"),
    path("gobernanza/politica/<int:pk>/", governance.policy_detail, name="policy"),
    path("gobernanza/politica/<int:pk>/politica.pdf", governance.policy_document, name="policy_pdf"),
    path("<slug:slug>/accesos/", governance.access_log, name="access_log"),
    path("propios/<uuid:uuid>/<str:filename>", own_data.own_data_download, name="own_data_download"),
    path("<slug:slug>/subir/", views.incoming_page, name="incoming"),
    path("<slug:slug>/subir/versiones/<int:pk>/", views.incoming_version, name="incoming_version"),
    path("<slug:slug>/subir/versiones/<int:pk>/archivo", views.incoming_version_file, name="incoming_version_file"),
]
