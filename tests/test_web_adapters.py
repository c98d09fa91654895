"""Serper and Jina adapters against recorded real responses, served by a real HTTP server on 127.0.0.1.

The recordings (`data/recorded/`, see its README) are real answers of the two paid APIs. The server below checks each
request as the real API expects it: Serper wants `POST /search` with the key in `X-API-KEY` and a JSON body with `q`;
Jina's reader wants `GET /<url>` with the key as a bearer token. Its error answers are the test's own."""
import json, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from mirothinker.tools.web import JinaReader, SerperSearch, WebAPIError, WebCorpus
from mirothinker.tools.search import search_tools

REC = Path(__file__).resolve().parents[1] / "data" / "recorded"
SERPER_BODY = (REC / "serper_search_nasdaq_index_today.json").read_text()
JINA_BODY = (REC / "jina_reader_finance_yahoo_ixic.txt").read_text()
PAGE = "https://finance.yahoo.com/quote/%5EIXIC/"
SERPER_KEY, JINA_KEY = "serper-test-key", "jina-test-key"


class Handler(BaseHTTPRequestHandler):
    requests: list = []

    def log_message(self, *a): pass

    def reply(self, code, body, ctype="application/json"):
        b = body.encode()
        try:
            self.send_response(code); self.send_header("Content-Type", ctype); self.send_header("Content-Length", str(len(b)))
            self.end_headers(); self.wfile.write(b)
        except (BrokenPipeError, ConnectionResetError): pass  # the client gave up (the time-out test)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.requests.append(("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        if self.path != "/search": return self.reply(404, '{"message": "not found"}')
        if self.headers.get("X-API-KEY") != SERPER_KEY: return self.reply(403, '{"message": "Unauthorized.", "statusCode": 403}')
        if not self.headers.get("Content-Type", "").startswith("application/json"): return self.reply(415, '{"message": "JSON only"}')
        try: q = json.loads(body)
        except json.JSONDecodeError: return self.reply(400, '{"message": "bad JSON"}')
        if not isinstance(q, dict) or not isinstance(q.get("q"), str) or not q["q"]: return self.reply(400, '{"message": "q is required"}')
        for k, t in (("gl", str), ("hl", str), ("num", int), ("page", int)):
            if k in q and not isinstance(q[k], t): return self.reply(400, json.dumps({"message": f"bad {k}"}))
        self.reply(200, SERPER_BODY)

    def do_GET(self):
        self.requests.append(("GET", self.path, {k.lower(): v for k, v in self.headers.items()}, b""))
        auth = self.headers.get("Authorization")
        if auth is not None and auth != f"Bearer {JINA_KEY}": return self.reply(401, '{"code": 401, "name": "AuthenticationRequiredError"}')
        if self.path == "/" + PAGE: return self.reply(200, JINA_BODY, "text/plain; charset=utf-8")
        if self.path == "/https://slow.example/": time.sleep(3); return self.reply(200, "late", "text/plain")
        if self.path == "/https://broke.example/":
            return self.reply(402, '{"name": "InsufficientBalanceError", "message": "Account balance not enough"}')
        self.reply(404, '{"name": "NotFoundError"}')


@pytest.fixture(scope="module")
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown(); srv.server_close()


@pytest.fixture(autouse=True)
def clear(monkeypatch):
    Handler.requests.clear()
    for k in ("SERPER_API_KEY", "SERPER_BASE_URL", "JINA_API_KEY", "JINA_BASE_URL"): monkeypatch.delenv(k, raising=False)


def test_serper_request_and_recorded_answer(server):
    data = SerperSearch(SERPER_KEY, base_url=server).serper("NASDAQ index today", gl="us", hl="en", num=5)
    assert data == json.loads(SERPER_BODY)
    (method, path, headers, body), = Handler.requests
    assert (method, path) == ("POST", "/search")
    assert headers["x-api-key"] == SERPER_KEY and headers["content-type"] == "application/json"
    assert json.loads(body) == {"q": "NASDAQ index today", "gl": "us", "hl": "en", "num": 5, "page": 1}


def test_serper_key_and_base_url_from_environment(server, monkeypatch):
    monkeypatch.setenv("SERPER_API_KEY", SERPER_KEY); monkeypatch.setenv("SERPER_BASE_URL", server + "/")
    hits = SerperSearch().search("NASDAQ index today", k=3)
    assert [h["position"] for h in hits] == [1, 2, 3]
    assert hits[0] == {"title": "NASDAQ Composite (^IXIC) Charts, Data & News", "link": PAGE, "position": 1,
                       "snippet": json.loads(SERPER_BODY)["organic"][0]["snippet"]}


def test_google_search_tool_over_serper(server):
    gs, _ = search_tools(WebCorpus(SerperSearch(SERPER_KEY, base_url=server), JinaReader(JINA_KEY, base_url=server)))
    o = gs({"q": "NASDAQ index today", "num": 5})
    assert o.error is None
    rec = json.loads(SERPER_BODY)
    assert json.loads(o.content) == {"searchParameters": rec["searchParameters"], "organic": rec["organic"]}  # upstream drops `credits`
    assert json.loads(Handler.requests[0][3])["num"] == 5


def test_serper_errors_are_clear(server):
    with pytest.raises(WebAPIError, match=r"Serper: HTTP 403 Forbidden from http://127\.0\.0\.1:\d+/search: .*Unauthorized"):
        SerperSearch("wrong-key", base_url=server).serper("x")
    with pytest.raises(WebAPIError, match="Serper: no API key"): SerperSearch(base_url=server).serper("x")
    gs, _ = search_tools(SerperSearch("wrong-key", base_url=server))
    assert gs({"q": "x"}).error.startswith("WebAPIError: Serper: HTTP 403")
    with pytest.raises(WebAPIError, match="Serper: could not reach http://127.0.0.1:9/search"):
        SerperSearch(SERPER_KEY, base_url="http://127.0.0.1:9", timeout=2).serper("x")


def test_jina_request_and_recorded_answer(server):
    text = JinaReader(JINA_KEY, base_url=server).fetch(PAGE)
    assert text == JINA_BODY and text.startswith("Title: NASDAQ Composite (^IXIC)")
    (method, path, headers, _), = Handler.requests
    assert (method, path, headers["authorization"]) == ("GET", "/" + PAGE, f"Bearer {JINA_KEY}")
    assert JinaReader(JINA_KEY, base_url=server).fetch("https://r.jina.ai/" + PAGE) == JINA_BODY   # upstream strips a doubled prefix


def test_jina_without_key_sends_no_authorization(server):
    assert JinaReader(base_url=server).fetch(PAGE) == JINA_BODY
    assert "authorization" not in Handler.requests[0][2]


def test_jina_errors_are_clear(server):
    r = JinaReader(JINA_KEY, base_url=server, timeout=0.5)
    with pytest.raises(WebAPIError, match=r"Jina reader: no answer from .*slow\.example/ within 0\.5 s"): r.fetch("https://slow.example/")
    with pytest.raises(WebAPIError, match="Jina reader: HTTP 404 Not Found"): r.fetch("https://missing.example/")
    with pytest.raises(WebAPIError, match="Jina reader: HTTP 401"): JinaReader("bad", base_url=server).fetch(PAGE)
    with pytest.raises(WebAPIError, match="InsufficientBalanceError"): r.fetch("https://broke.example/")
    with pytest.raises(WebAPIError, match="empty URL"): r.fetch("  ")


def test_scrape_tool_over_jina(server):
    _, scrape = search_tools(WebCorpus(SerperSearch(SERPER_KEY, base_url=server), JinaReader(JINA_KEY, base_url=server)))
    o = scrape({"url": PAGE, "info_to_extract": "NASDAQ Composite index value at close"})
    assert o.error is None
    r = json.loads(o.content)
    assert r["success"] and r["url"] == PAGE and r["scrape_stats"]["char_count"] == len(JINA_BODY)
    assert r["model_used"] == "bm25-passages (offline, no LLM)"
    assert "23,111.46" in r["extracted_info"] and "Markdown Content:" not in r["extracted_info"]
    assert len(r["extracted_info"]) < len(JINA_BODY) / 4
    seen = []
    _, scrape_llm = search_tools(WebCorpus(SerperSearch(), JinaReader(JINA_KEY, base_url=server)),
                                 extract=lambda page, info: seen.append((page, info)) or "23,111.46")
    assert json.loads(scrape_llm({"url": PAGE, "info_to_extract": "value"}).content)["extracted_info"] == "23,111.46"
    assert seen == [(JINA_BODY, "value")]
    assert scrape({"url": "https://missing.example/", "info_to_extract": "x"}).error.startswith("WebAPIError: Jina reader: HTTP 404")
