from django.urls import path

from mueve.sensors.ngsild import views

app_name = "ngsild"
urlpatterns = [
    path("entities", views.entities, name="entities"),
    path("entities/<path:entity_id>", views.entity, name="entity"),
    path("entityOperations/upsert", views.upsert, name="upsert"),
    path("temporal/entities/<path:entity_id>", views.temporal_entity, name="temporal_entity"),
    path("subscriptions", views.subscriptions, name="subscriptions"),
    path("subscriptions/<path:sub_id>", views.subscription, name="subscription"),
]
