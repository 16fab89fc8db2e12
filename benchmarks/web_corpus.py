"""Saved news pages for bench_ingest.py: made up, seeded, shaped like the real thing.

Each page has what news sites wrap an article in (navigation with a hundred links, a cookie
banner, inline scripts and JSON-LD, share tools, a related-stories box inside the article,
"most read", a comment section, a long footer) around 6 to 14 paragraphs of invented
text. Three site layouts, so the extractor does not see one shape only. 30-40 KB a page.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS = ("council harbour barrier vote residents flood plan million regional fund winter quay engineers "
         "meeting opponents estuary birds spring design consultation union strike operator rota drivers "
         "passengers talks holiday library refit study lift reading solar roof ferry timetable school market "
         "traders rent lifeboat crew bridge inspection budget mayor cooperative fair cattle river festival "
         "minister report court hearing witness police statement company shares profit workers factory").split()
NAMES = ("Mara Quill", "Idris Fenwick", "Lena Ortiz", "Tobias Wren", "Agnes Holloway", "Owen Tregear",
         "Priya Castell", "Julian Penrose", "Begoña Ruiz", "Ines Barrantes")
SITES = ("The Coastal Ledger", "The Northern Courier", "Valley Daily")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 24))]
    if rng.random() < 0.3:
        words.insert(rng.randint(0, len(words)), rng.choice(NAMES))
    if rng.random() < 0.25:
        words.append(f"said {rng.choice(NAMES)}")
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice((".", ".", ".", "?"))


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))


def _links(rng: random.Random, count: int, prefix: str) -> str:
    return "".join(f'<li><a href="/{prefix}/{rng.randint(1000, 99999)}">{_sentence(rng)[:60]}</a></li>'
                   for _ in range(count))


def page(number: int, seed: int = 0) -> str:
    rng = random.Random(seed * 100_003 + number)
    site = SITES[number % len(SITES)]
    title = _sentence(rng)[:80].rstrip(".?")
    author = rng.choice(NAMES)
    day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    url = f"https://{site.lower().replace(' ', '-')}.example/news/{day[:7].replace('-', '/')}/story-{number}.html"
    paragraphs = [_paragraph(rng) for _ in range(rng.randint(6, 14))]
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs[:3])
    body += f'<aside class="inline-related"><h4>Read more</h4><ul>{_links(rng, 3, "news")}</ul></aside>\n'
    body += "".join(f"<p>{p}</p>\n" for p in paragraphs[3:])
    nav = f'<nav class="main-nav"><ul>{_links(rng, 100, "section")}</ul></nav>'
    script = "<script>window.__STATE__=" + "{" + ",".join(
        f'"k{i}":"{rng.choice(WORDS)}{i}"' for i in range(rng.randint(400, 900))) + "}</script>"
    comments = "".join(f'<div class="comment"><p class="comment-author">{rng.choice(NAMES)}</p><p>{_sentence(rng)}</p>'
                       "</div>" for _ in range(rng.randint(3, 12)))
    head = (f'<head><meta charset="utf-8"><title>{title} | {site}</title>'
            f'<link rel="canonical" href="{url}"><meta property="og:site_name" content="{site}">'
            f'<meta name="author" content="{author}"><meta property="article:published_time" content="{day}T08:00:00Z">'
            '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
            f'"headline":"{title}","datePublished":"{day}T08:00:00Z","author":{{"@type":"Person","name":"{author}"}}}}'
            f"</script>{script}</head>")
    cookie = ('<div id="cookie-consent" class="cookie-banner"><p>We and our partners use cookies to personalise '
              "content and ads.</p><button>Accept all</button><button>Reject</button></div>")
    footer = f'<footer class="site-footer"><ul>{_links(rng, 40, "about")}</ul><p>© 2025 {site}.</p></footer>'
    layout = number % 3
    if layout == 0:
        main = (f'<main><article><h1>{title}</h1><div class="byline">By {author}</div>{body}</article>'
                f'<section class="related-stories"><h2>More stories</h2><ul>{_links(rng, 12, "news")}</ul></section>'
                f'<section id="comments" class="comments"><h2>Comments</h2>{comments}</section></main>')
    elif layout == 1:
        main = (f'<div class="wrapper"><div class="content-main"><h1>{title}</h1><div class="meta">{author}</div>'
                f'<div class="article-text">{body}</div><div class="you-may-like"><h3>You may also like</h3>'
                f'<ul>{_links(rng, 8, "more")}</ul></div><div id="disqus_thread">{comments}</div></div>'
                f'<div class="content-side"><h3>Trending</h3><ul>{_links(rng, 10, "trend")}</ul></div></div>')
    else:
        main = (f'<div id="noticia"><h1>{title}</h1><p class="firma">{author} · {day}</p>{body}</div>'
                f'<div class="relacionadas"><b>Related:</b><ul>{_links(rng, 6, "rel")}</ul></div>')
    return f'<!DOCTYPE html>\n<html lang="en">{head}<body>{cookie}<header><a href="/">{site}</a></header>{nav}{main}{footer}</body></html>\n'


def write_pages(folder: Path, count: int, seed: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"page-{number:05d}.html"
        path.write_text(page(number, seed), encoding="utf-8")
        paths.append(path)
    return paths
