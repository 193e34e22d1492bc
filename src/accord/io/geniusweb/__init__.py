"""GeniusWeb JSON domains and profiles, in and out (Pasman & Jonker, GeniusWeb,
``geniusweb.issuevalue`` and ``geniusweb.profile.utilityspace``).

* :mod:`~accord.io.geniusweb.read`: a folder of JSON files (a domain, ``{"name",
  "issuesValues"}``, and profiles) or one profile file → a validated scenario;
* :mod:`~accord.io.geniusweb.write`: a scenario → a domain file and one profile per party.
"""

from __future__ import annotations

from accord.io.geniusweb.read import read_geniusweb
from accord.io.geniusweb.write import GeniusWebExport, export_geniusweb

__all__ = ["GeniusWebExport", "export_geniusweb", "read_geniusweb"]
