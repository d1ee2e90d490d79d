"""A small simulated news site for end-to-end tests: distinct articles and an RSS feed."""

from __future__ import annotations

from pytest_httpserver import HTTPServer

CITIES = [
    "Paris",
    "Berlin",
    "Madrid",
    "Warsaw",
    "Vienna",
    "Lisbon",
    "Prague",
    "Dublin",
    "Athens",
    "Helsinki",
    "Oslo",
    "Riga",
    "Tallinn",
    "Vilnius",
    "Sofia",
    "Zagreb",
]
SUBJECTS = [
    "rail strike",
    "port expansion",
    "housing bill",
    "wildfire season",
    "bank merger",
    "school reform",
    "drought plan",
    "tram line",
    "steel tariff",
    "vaccine rollout",
    "heat wave",
    "bridge collapse",
    "election recount",
    "film festival",
    "chip plant",
    "river flood",
]


def article_html(i: int) -> str:
    """A distinct article page mentioning France and Emmanuel Macron."""
    city, subject = CITIES[i % len(CITIES)], SUBJECTS[i % len(SUBJECTS)]
    paragraphs = [
        f"Officials in {city} announced on day {i} that the {subject} would dominate the "
        f"agenda, after weeks of debate among local councillors and national ministers.",
        f"French President Emmanuel Macron said the {subject} in {city} showed why France "
        f"needed closer coordination with its neighbours, according to a statement.",
        f"Residents interviewed in {city} were divided: some welcomed the plan number {i * 7}, "
        f"while others said the {subject} had been handled badly from the start.",
        f"A final decision on the {subject} is expected before the end of the month, the "
        f"{city} council said in a notice published on its website.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>{subject.title()} in {city}</title>"
        f"</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{subject.title()} in {city} ({i})</h1>{body}</article>"
        f"<footer>Copyright Example News</footer></body></html>"
    )


def serve_newsroom(
    server: HTTPServer, n: int, path: str = "/feed.xml", delay_s: float = 0.0, first: int = 0
) -> str:
    """Serve articles first..first+n-1 and their RSS feed (with ETag and 304s); feed URL."""
    import hashlib
    import time

    from werkzeug import Request, Response

    def page(request: Request) -> Response:
        if delay_s:
            time.sleep(delay_s)
        i = int(request.path.rsplit("-", 1)[1].split(".")[0])
        return Response(article_html(i), content_type="text/html; charset=utf-8")

    items = "".join(
        f"<item><title>Story {i}</title><link>{server.url_for(f'/a/story-{i}.html')}</link>"
        f"<guid>{server.url_for(f'/a/story-{i}.html')}</guid></item>"
        for i in range(first, first + n)
    )
    feed = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Newsroom</title>{items}'
        "</channel></rss>"
    )
    etag = '"' + hashlib.sha256(feed.encode()).hexdigest()[:16] + '"'

    def feed_handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(feed, content_type="application/rss+xml", headers={"ETag": etag})

    server.expect_request("/robots.txt").respond_with_data("", status=404)
    server.expect_request(path).respond_with_handler(feed_handler)
    for i in range(first, first + n):
        server.expect_request(f"/a/story-{i}.html").respond_with_handler(page)
    return server.url_for(path)
