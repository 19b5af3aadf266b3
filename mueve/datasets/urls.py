from django.urls import path

from mueve.datasets.views import catalog, governance, incoming, own_data, steward

app_name = "datasets"
urlpatterns = [
    path("", catalog.dataset_list, name="list"),
    # The catalog's own pages first: "calidad", "inventario", "nuevo", "convenios", "gobernanza" and "propios" are
    # not dataset names (services.inventory reserves them).
    path("calidad/", catalog.quality_page, name="quality"),
    path("inventario/", steward.inventory, name="inventory"),
    path("nuevo/", steward.dataset_create, name="create"),
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
    path("propios/<uuid:uuid>/<str:filename>", own_data.own_data_download, name="own_data_download"),
    path("<slug:slug>/", catalog.dataset_detail, name="detail"),
    path("<slug:slug>/editar/", steward.dataset_edit, name="edit"),
    path("<slug:slug>/publicar/", steward.dataset_publish, name="publish"),
    path("<slug:slug>/retirar/", steward.dataset_withdraw, name="withdraw"),
    path("<slug:slug>/recursos/nuevo/", steward.distribution_add, name="distribution_add"),
    path("<slug:slug>/recursos/<uuid:uuid>/descargar/", catalog.distribution_download, name="download"),
    path("<slug:slug>/accesos/", governance.access_log, name="access_log"),
    path("<slug:slug>/subir/", incoming.incoming_page, name="incoming"),
    path("<slug:slug>/subir/versiones/<int:pk>/", incoming.incoming_version, name="incoming_version"),
    path("<slug:slug>/subir/versiones/<int:pk>/archivo", incoming.incoming_version_file, name="incoming_version_file"),
]
