# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Travel-time providers, without Odoo: the straight-line default, and an
OSRM table server stubbed on 127.0.0.1."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import pytest

HANGZHOU = (30.2741, 120.1551)
SHANGHAI = (31.2304, 121.4737)
WEST_LAKE = (30.2420, 120.1500)


@pytest.fixture(scope="module")
def t():
    from .conftest import load_engine

    return load_engine("fieldservice_install", "travel")


@pytest.fixture(scope="module")
def routes():
    from .conftest import load_engine

    return load_engine("fieldservice_install", "routes")


def test_haversine(t):
    # one degree of latitude is 111.2 km
    assert t.haversine_m((0, 0), (1, 0)) == pytest.approx(111195, rel=1e-4)
    # Hangzhou - Shanghai, about 165 km as the crow flies
    assert t.haversine_m(HANGZHOU, SHANGHAI) == pytest.approx(165000, rel=0.02)


def test_default_provider(t):
    provider = t.HaversineProvider(road_factor=1.5, speed_kmh=36)  # 10 m/s
    matrix, warnings = provider.matrix([HANGZHOU, SHANGHAI, WEST_LAKE])
    assert warnings == []
    straight = t.haversine_m(HANGZHOU, SHANGHAI)
    assert matrix.distances[0][1] == round(straight * 1.5)
    assert matrix.durations[0][1] == round(straight * 1.5 / 10)
    assert matrix.distances[1][0] == matrix.distances[0][1]
    assert [matrix.durations[i][i] for i in range(3)] == [0, 0, 0]
    with pytest.raises(ValueError):
        t.HaversineProvider(road_factor=0.5)
    with pytest.raises(ValueError):
        provider.matrix([(120.0, 30.0)])  # (lon, lat) by mistake


class Stub(BaseHTTPRequestHandler):
    """Answers what the test put in ``server.answer`` (status, body) and
    keeps the paths it was asked."""

    def do_GET(self):
        self.server.asked.append(self.path)
        status, body = self.server.answer
        if callable(body):
            body = body(self.path)
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def osrm():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    server.asked = []
    server.answer = (200, {})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def table(path):
    """An OSRM table answer for the coordinates in ``path``: 100 s and 1 km
    per index apart."""
    coordinates = unquote(urlsplit(path).path).rsplit("/", 1)[1].split(";")
    size = len(coordinates)
    return {
        "code": "Ok",
        "durations": [[abs(i - j) * 100.4 for j in range(size)] for i in range(size)],
        "distances": [[abs(i - j) * 1000.0 for j in range(size)] for i in range(size)],
        "sources": [],
        "destinations": [],
    }


def base(server):
    return f"http://127.0.0.1:{server.server_address[1]}/"


def test_osrm_table(t, routes, osrm):
    osrm.answer = (200, table)
    provider = t.OsrmProvider(base(osrm), timeout=5)
    matrix, warnings = provider.matrix([HANGZHOU, SHANGHAI, WEST_LAKE])
    assert warnings == []
    assert matrix.durations[0][2] == 201
    assert matrix.distances[2][1] == 1000
    (path,) = osrm.asked
    assert path.startswith("/table/v1/driving/120.155100,30.274100;121.473700,")
    assert path.endswith("?annotations=duration,distance")
    # the route engine plans with it as it is
    problem = routes.Problem(
        [routes.Technician(1, start=0, end=0, shift_start=0, shift_end=3600)],
        [routes.Job(10, 2, service=60)],
        matrix,
    )
    solution = routes.solve(problem, solver="greedy")
    assert solution.routes[0].distance == 4000
    assert routes.check_routes(problem, solution) == []


@pytest.mark.parametrize(
    "answer, why",
    [
        ((500, b"boom"), "500"),
        ((200, b"<html>not json</html>"), "Expecting value"),
        ((200, {"code": "NoTable", "message": "x"}), "NoTable"),
        ((200, {"code": "Ok", "durations": [[0]]}), "no 2x2 durations"),
        (
            (200, {"code": "Ok", "durations": [[0, None], [1, 0]], "distances": []}),
            "cannot be reached",
        ),
    ],
)
def test_osrm_bad_answers_fall_back(t, osrm, answer, why):
    osrm.answer = answer
    fallback = t.HaversineProvider(road_factor=1.2, speed_kmh=50)
    provider = t.OsrmProvider(base(osrm), timeout=5, fallback=fallback)
    matrix, warnings = provider.matrix([HANGZHOU, SHANGHAI])
    expected, _ = fallback.matrix([HANGZHOU, SHANGHAI])
    assert matrix == expected
    assert len(warnings) == 1
    assert why in warnings[0]
    assert "straight-line estimates" in warnings[0]
    assert len(osrm.asked) == 1


def test_osrm_unreachable_falls_back(t):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    provider = t.OsrmProvider(f"http://127.0.0.1:{port}", timeout=2)
    matrix, warnings = provider.matrix([HANGZHOU, SHANGHAI])
    assert matrix == t.HaversineProvider().matrix([HANGZHOU, SHANGHAI])[0]
    assert len(warnings) == 1 and "not available" in warnings[0]


def test_osrm_slow_server_times_out(t, osrm):
    release = threading.Event()

    def slow(path):
        release.wait(5)
        return table(path)

    osrm.answer = (200, slow)
    provider = t.OsrmProvider(base(osrm), timeout=0.3)
    try:
        _matrix, warnings = provider.matrix([HANGZHOU, SHANGHAI])
    finally:
        release.set()
    assert len(warnings) == 1 and "timed out" in warnings[0]


def test_osrm_url_must_be_http(t):
    provider = t.OsrmProvider("file:///etc/passwd")
    _matrix, warnings = provider.matrix([HANGZHOU, SHANGHAI])
    assert "not an http(s) URL" in warnings[0]


def test_default_provider_matches_the_formula_everywhere(t):
    import random

    rnd = random.Random(7)
    points = [(30 + rnd.random(), 120 + rnd.random()) for _ in range(300)]
    provider = t.HaversineProvider(road_factor=1.3, speed_kmh=30)
    matrix, _warnings = provider.matrix(points)  # more rows than one block
    for i, j in [(rnd.randrange(300), rnd.randrange(300)) for _ in range(200)]:
        road = t.haversine_m(points[i], points[j]) * 1.3
        assert abs(matrix.distances[i][j] - road) <= 0.5 + 1e-6
        assert abs(matrix.durations[i][j] - road / (30 / 3.6)) <= 0.5 + 1e-6
    assert provider.matrix([]) == (t.TravelMatrix([], []), [])
