from django.shortcuts import render

from mueve.datasets import selectors
from mueve.datasets.models import AccessRights


def dataset_list(request):
    access = request.GET.get("acceso") or None
    if access not in AccessRights.values:
        access = None
    return render(
        request,
        "datasets/list.html",
        {"datasets": selectors.dataset_list(access=access), "access": access, "access_choices": AccessRights.choices},
    )
