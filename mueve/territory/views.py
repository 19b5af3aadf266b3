from django.shortcuts import render

from mueve.territory import selectors
from mueve.territory.forms import PointLookupForm
from mueve.territory.models import Area


def jurisdiction_list(request):
    form = PointLookupForm(request.GET or None)
    matches = None
    if form.is_valid():
        matches = selectors.areas_containing(lat=form.cleaned_data["lat"], lon=form.cleaned_data["lon"])
    return render(
        request,
        "territory/list.html",
        {
            "tree": selectors.jurisdiction_tree(),
            "areas": Area.objects.select_related("jurisdiction").defer("geometry"),
            "form": form,
            "matches": matches,
        },
    )
