from django.shortcuts import render

from mueve.territory import selectors
from mueve.territory.forms import PointLookupForm


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
            "areas": selectors.area_list(),
            "form": form,
            "matches": matches,
        },
    )
