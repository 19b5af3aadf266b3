"""The Content-Security-Policy of the pages that play a live feed (the control centre's incident panel).

The site's policy (core.middleware.build_policy) with two sources more, and only on these pages:
- `media-src blob:`: hls.js feeds the <video> through Media Source Extensions, whose object URL is a blob: URL;
- `connect-src` + the configured video servers (MUEVE_VISUAL_STREAM_ORIGINS): hls.js downloads the playlist and
  its segments with XHR/fetch. The services accept stream URLs on these servers only.
hls.js's transmuxing worker is loaded from our own vendored file (its `workerPath`), so `worker-src` stays 'self'
and no blob: worker is allowed.
"""

from django.conf import settings

from mueve.core.middleware import build_policy


def feed_policy(nonce: str) -> str:
    origins = " ".join(sorted({o.rstrip("/") for o in settings.MUEVE_VISUAL_STREAM_ORIGINS}))
    directives = []
    for directive in build_policy(settings.MUEVE_TILE_URL).split("; "):
        if directive == "media-src 'self'":
            directive = "media-src 'self' blob:"
        elif directive == "connect-src 'self'" and origins:
            directive = f"connect-src 'self' {origins}"
        directives.append(directive)
    return "; ".join(directives).replace("{nonce}", nonce)
