from __future__ import annotations

import pytest

from annotator.core.web_urls import BadUrl, check_url, host_of, url_key

SAME_ARTICLE = [
    ("https://www.ledger.example/news/a.html", "http://ledger.example/news/a.html"),
    ("https://ledger.example/news/a.html?utm_source=rss&utm_medium=feed", "https://ledger.example/news/a.html"),
    ("https://ledger.example/news/a.html?fbclid=IwAR0x&gclid=abc#comments", "https://ledger.example/news/a.html"),
    ("https://ledger.example/news/a?id=7&ref_src=twsrc", "https://ledger.example/news/a?id=7"),
    ("https://ledger.example/news/a?b=2&a=1", "https://ledger.example/news/a?a=1&b=2"),
    ("https://LEDGER.example:443/news/a/", "https://ledger.example/news/a"),
    ("https://ledger.example/news/a/amp", "https://ledger.example/news/a"),
    ("https://ledger.example/news/a/amp/", "https://ledger.example/news/a"),
    ("https://ledger.example/news/a.amp.html", "https://ledger.example/news/a.html"),
    ("https://ledger.example/news/a?amp=1", "https://ledger.example/news/a"),
    ("https://ledger.example/news/a?outputType=amp", "https://ledger.example/news/a"),
    ("https://amp.ledger.example/news/a", "https://ledger.example/news/a"),
    ("https://ledger-example.cdn.ampproject.org/c/s/ledger.example/news/a", "https://ledger.example/news/a"),
    ("https://ledger.example/news/caf%C3%A9", "https://ledger.example/news/café"),
]
DIFFERENT = [
    ("https://ledger.example/news/a", "https://ledger.example/news/b"),
    ("https://ledger.example/news?id=1", "https://ledger.example/news?id=2"),
    ("https://ledger.example/news/a", "https://other.example/news/a"),
    ("http://127.0.0.1:8000/a", "http://127.0.0.1:8001/a"),
]


@pytest.mark.parametrize(("one", "other"), SAME_ARTICLE)
def test_web_urls_key_sets_aside_tracking_and_amp(one, other):
    assert url_key(one) == url_key(other)


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_web_urls_key_keeps_what_names_the_article(one, other):
    assert url_key(one) != url_key(other)


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty"),
    ("ftp://ledger.example/a", "not an http:// or https:// address"),
    ("ledger.example/a", "not an http:// or https:// address"),
    ("https:///a", "no host name"),
    ("https://ledger.example/a b", "white space inside it"),
    ("https://ledger.example:port/a", "not a valid address"),
])
def test_web_urls_check_refuses_what_cannot_be_fetched(text, message):
    with pytest.raises(BadUrl, match=message):
        check_url(text)


def test_web_urls_check_keeps_the_address_as_given():
    assert check_url("  https://Ledger.example/A?utm_source=x \n") == "https://Ledger.example/A?utm_source=x"


def test_web_urls_host_keeps_a_port_that_is_not_the_default():
    assert host_of("https://Ledger.example:443/a") == "ledger.example"
    assert host_of("http://127.0.0.1:8123/a") == "127.0.0.1:8123"
