# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Travel times and distances between points: the matrices the route engine
(``routes.py``) plans with. Plain Python, no ORM.

A provider is any object with ``matrix(points) -> (Matrix, warnings)``:
``points`` is a list of ``(lat, lon)`` in degrees, the answer a
:class:`TravelMatrix` in whole seconds and metres (indexed like ``points``) and a
list of warnings (sentences; empty when all went well). Nothing is printed
or logged here: the caller shows the warnings.

* :class:`HaversineProvider` (the default): great-circle distance x a road
  factor, at an average speed; per company: ``road_factor``, ``speed_kmh``.
* :class:`OsrmProvider`: the table service of the company's own OSRM server
  (``GET {base_url}/table/v1/driving/{lon,lat;...}?annotations=duration,
  distance``), with a timeout; when the server cannot be reached or answers
  badly (HTTP error, not JSON, ``code`` not ``Ok``, wrong shape, nulls for
  unreachable pairs), the default provider answers instead, with a warning
  saying why. Only the configured URL is contacted.
"""

import json
import math
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

EARTH_RADIUS_M = 6371008.8
BLOCK = 256  # rows of the matrix computed at once


@dataclass
class TravelMatrix:
    """Whole seconds and metres between the points, by index; the route
    engine takes it as its ``Matrix`` (same attributes and methods)."""

    durations: list
    distances: list

    def duration(self, i, j):
        return 0 if i is None or j is None else self.durations[i][j]

    def distance(self, i, j):
        return 0 if i is None or j is None else self.distances[i][j]


def haversine_m(a, b):
    """Great-circle distance in metres between two ``(lat, lon)``."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _check_points(points):
    for point in points:
        lat, lon = point
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"not a (lat, lon) in degrees: {point!r}")


@dataclass(frozen=True)
class HaversineProvider:
    """Road distance = great circle x ``road_factor``; time = that distance
    at ``speed_kmh``."""

    road_factor: float = 1.3
    speed_kmh: float = 30.0

    def __post_init__(self):
        if self.road_factor < 1 or self.speed_kmh <= 0:
            raise ValueError("road factor must be >= 1 and speed > 0")

    def matrix(self, points):
        """Vectorised (numpy), by blocks of rows: thousands of points in
        seconds, in bounded memory. Rows are lists of ints."""
        import numpy

        _check_points(points)
        size = len(points)
        if not size:
            return TravelMatrix(durations=[], distances=[]), []
        lat, lon = numpy.radians(numpy.asarray(points, dtype=float)).T
        cos_lat = numpy.cos(lat)
        metres_per_second = self.speed_kmh / 3.6
        distances, durations = [], []
        for first in range(0, size, BLOCK):
            rows = slice(first, first + BLOCK)
            h = (
                numpy.sin((lat[None, :] - lat[rows, None]) / 2) ** 2
                + cos_lat[rows, None]
                * cos_lat[None, :]
                * numpy.sin((lon[None, :] - lon[rows, None]) / 2) ** 2
            )
            road = (
                2 * EARTH_RADIUS_M * numpy.arcsin(numpy.sqrt(numpy.minimum(h, 1.0)))
            ) * self.road_factor
            distances += numpy.rint(road).astype(int).tolist()
            durations += numpy.rint(road / metres_per_second).astype(int).tolist()
        return TravelMatrix(durations=durations, distances=distances), []


@dataclass(frozen=True)
class OsrmProvider:
    """The table API of an OSRM server at ``base_url`` (the company's own),
    ``fallback`` when it fails."""

    base_url: str
    timeout: float = 10.0
    fallback: HaversineProvider = HaversineProvider()
    profile: str = "driving"

    def url(self, points):
        coordinates = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in points)
        return (
            f"{self.base_url.rstrip('/')}/table/v1/{self.profile}/{coordinates}"
            "?annotations=duration,distance"
        )

    def matrix(self, points):
        _check_points(points)
        if len(points) < 2:
            return self.fallback.matrix(points)
        try:
            scheme = urllib.parse.urlsplit(self.base_url).scheme
            if scheme not in ("http", "https"):
                raise ValueError(f"not an http(s) URL: {self.base_url!r}")
            request = urllib.request.Request(
                self.url(points), headers={"Accept": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                body = json.loads(answer.read().decode("utf-8"))
            durations, distances = self._parse(body, len(points))
        except (OSError, ValueError, urllib.error.URLError) as err:
            matrix, warnings = self.fallback.matrix(points)
            reason = err
            if not isinstance(err, urllib.error.HTTPError):
                reason = getattr(err, "reason", None) or err
            return matrix, [
                *warnings,
                (
                    f"Travel times from {self.base_url} are not available "
                    f"({reason}): straight-line estimates are used instead."
                ),
            ]
        return TravelMatrix(durations=durations, distances=distances), []

    @staticmethod
    def _parse(body, size):
        """Whole seconds and metres from an OSRM table answer; ValueError when
        it is not one (or a pair has no route)."""
        if not isinstance(body, dict) or body.get("code") != "Ok":
            code = body.get("code") if isinstance(body, dict) else None
            raise ValueError(f"the server answered {code or 'something else'}")
        matrices = []
        for key in ("durations", "distances"):
            rows = body.get(key)
            if (
                not isinstance(rows, list)
                or len(rows) != size
                or any(not isinstance(r, list) or len(r) != size for r in rows)
            ):
                raise ValueError(f"no {size}x{size} {key} in the answer")
            if any(
                not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0
                for r in rows
                for v in r
            ):
                raise ValueError(f"some points cannot be reached ({key})")
            matrices.append([[round(v) for v in r] for r in rows])
        return matrices
