"""Import GENIUS / ANAC negotiation domains (XML) as accord scenarios.

A GENIUS domain folder holds one *domain* file (the issues and their values) and one
*preference profile* per party (weights, evaluations, reservation value, discount
factor). The domain file is the XML file with no ``<weight>`` element; every other
XML file is a profile. The import follows GENIUS's own semantics
(``genius.core.Domain`` and ``genius.core.utility``), in four steps:

* :mod:`~accord.io.genius.xml_file`: safe parsing (defusedxml refuses entity
  declarations and external references), with the line of every element;
* :mod:`~accord.io.genius.domain`: the issues and their values, in document order;
* :mod:`~accord.io.genius.profiles`: weights as written, ``EvaluatorDiscrete``
  (evaluation / the issue's largest, 0 below 1e-5) and ``EvaluatorInteger``
  (offset + slope·(x − lowerbound), clipped to [0, 1]);
* :mod:`~accord.io.genius.scenario`: the validated scenario. Names take clean ids
  (:mod:`~accord.io.genius.names`: GENIUS accepts names with stray whitespace, accord
  ids do not) and keep their text as written as the label.

``getUtility`` is u = Σ_i w_i·v_i, summed in domain issue order, then clamped at 1.
Each weight becomes a salience *exactly as written* and each value the double
``evaluation / max``; the compiled model (:mod:`accord.engine.compiled`) computes
``salience · value`` per option and sums in issue order with ``cap: 1.0``. These are
the same floating-point operations, in the same order, as GENIUS, so utilities agree
to the last bit. The discount factor is only recorded: accord's analysis is
undiscounted (t = 0). Every mistake in a file becomes a
:class:`~accord.errors.ScenarioError` naming the file and line.
"""

from __future__ import annotations

from pathlib import Path

from accord.io.genius.domain import MAX_INTEGER_VALUES, read_domain, split_files
from accord.io.genius.names import clean_id
from accord.io.genius.profiles import DISCRETE_MAX_EPS, read_profile
from accord.io.genius.scenario import RESERVATION_LABEL, build_scenario
from accord.io.genius.xml_file import MAX_FILE_BYTES, parse_xml, xml_files
from accord.model.scenario import Scenario

__all__ = [
    "DISCRETE_MAX_EPS",
    "MAX_FILE_BYTES",
    "MAX_INTEGER_VALUES",
    "RESERVATION_LABEL",
    "clean_id",
    "read_genius_folder",
]


def read_genius_folder(folder: str | Path) -> Scenario:
    """Import a GENIUS/ANAC domain folder (one domain XML, one XML per profile).

    Each profile becomes a principal party, in order of profile file name, with the
    file stem as id. Utilities follow GENIUS exactly (see the module docstring):
    saliences are the weights as written (``normalize_salience: false``), values are
    ``evaluation / max`` (discrete) or clipped linear functions (integer), and
    utilities are clamped at 1 (``cap: 1.0``). Issue, value and file names with stray
    whitespace get a clean id and keep their text as the label
    (:func:`clean_id`). Raises :class:`ScenarioError`, with the file and line, for
    anything that is not a well-formed GENIUS domain, and for two names that clean to
    the same id.
    """
    directory = Path(folder)
    parsed = [parse_xml(path) for path in xml_files(directory)]
    domain, profile_files = split_files(directory, parsed)
    issues = read_domain(domain)
    profiles = [read_profile(xml, issues) for xml in profile_files]
    return build_scenario(directory, domain, profiles, issues)
