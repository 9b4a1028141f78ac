"""parley: a negotiation engine (libparley.so through ctypes).

    >>> import parley
    >>> s = parley.Scenario.builtin("talks")
    >>> a = s.analyze()
    >>> a.to_dict()["agreements"]      # the document of `parley analyze --json`
    0
    >>> n = s.negotiate(agents=["boulware", "conceder", "micro"], seed=1)
    >>> n.to_dict()["reason"]["kind"]  # the document of `parley negotiate --json`
    'deadline'

Every number is defined in docs/analysis.md and docs/protocols.md; the
dictionaries are the library's own JSON documents, so they equal the CLI's.
The library is found as _lib's docstring says (PARLEY_LIBRARY overrides).
"""
import ctypes
import json
from typing import Callable, Dict, List, Optional, Sequence, Union

import numpy as np

from . import _lib

__all__ = ["Error", "Scenario", "Analysis", "Negotiation", "version",
           "library_path", "load_agents", "Agent", "State", "register_agent",
           "ACCEPT", "REJECT", "END"]

SOLUTIONS = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian",
             "genius_ks")


class Error(Exception):
    """Bad input. `problems` lists every (file, line, column, message);
    str() shows them as "file:line:column: message" lines."""

    def __init__(self, problems, status=2):
        self.problems = problems
        self.status = status
        super().__init__("\n".join(_problem_text(p) for p in problems)
                         or "error")


def _problem_text(p):
    file, line, col, msg = p
    where = file or ""
    if line:
        where += f":{line}:{col}"
    return f"{where}: {msg}" if where else msg


class _Diag:
    def __init__(self):
        self.h = _lib.pl_diag_new()

    def problems(self):
        out = []
        for i in range(_lib.pl_diag_count(self.h)):
            p = _lib.pl_diag_get(self.h, i)
            out.append((p.file.decode() if p.file else None, p.line, p.column,
                        p.message.decode()))
        return out

    def fail(self, status=2):
        return Error(self.problems(), status)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _lib.pl_diag_free(self.h)


def version() -> str:
    """The version of the libparley.so loaded."""
    return _lib.pl_version().decode()


def library_path() -> str:
    """Which libparley.so was loaded."""
    return _lib.path


def load_agents(path: str) -> None:
    """Loads a C agent plug-in (docs/agents.md, section 11): its agents are
    then usable by name in negotiate()."""
    with _Diag() as d:
        if _lib.pl_agent_load_plugin(path.encode(), d.h) != 0:
            raise d.fail()


def _s(b):
    return b.decode() if b is not None else None


class Scenario:
    """A negotiation scenario: issues with their values, parties, ratifiers."""

    def __init__(self, handle):
        self._h = handle

    def __del__(self):
        if getattr(self, "_h", None):
            _lib.pl_scenario_free(self._h)
            self._h = None

    @classmethod
    def builtin(cls, name: str = "talks") -> "Scenario":
        """A scenario compiled into the library (`parley scenarios`)."""
        with _Diag() as d:
            h = _lib.pl_scenario_builtin(name.encode(), d.h)
            if not h:
                raise d.fail()
            return cls(h)

    @classmethod
    def load(cls, *paths: str, raw_evaluations: bool = False) -> "Scenario":
        """A parley JSON file, a GENIUS or GeniusWeb folder, or a GENIUS
        domain file followed by its profiles (docs/formats.md). Raises
        Error with every problem found."""
        arr = (ctypes.c_char_p * len(paths))(*[p.encode() for p in paths])
        opts = _lib.LoadOptions(raw_evaluations)
        with _Diag() as d:
            h = _lib.pl_scenario_load(arr, len(paths), ctypes.byref(opts), d.h)
            if not h:
                raise d.fail()
            return cls(h)

    @classmethod
    def from_dict(cls, doc: dict, filename: str = "<dict>") -> "Scenario":
        """A scenario from its JSON document (docs/scenario-format.md)."""
        with _Diag() as d:
            h = _lib.pl_scenario_load_string(json.dumps(doc).encode(),
                                             filename.encode(), d.h)
            if not h:
                raise d.fail()
            return cls(h)

    @classmethod
    def generate(cls, parties: int = 3, issues: int = 4, values: int = 5,
                 seed: int = 1) -> "Scenario":
        """A seeded random scenario (docs/generate.md)."""
        opts = _lib.GenerateOptions(parties, issues, values, seed)
        with _Diag() as d:
            h = _lib.pl_generate(ctypes.byref(opts), d.h)
            if not h:
                raise d.fail()
            return cls(h)

    @property
    def name(self) -> str:
        """The scenario's short name (its "name")."""
        return _s(_lib.pl_scenario_name(self._h))

    @property
    def title(self) -> Optional[str]:
        """Its one-line title, or None when the file gives none."""
        return _s(_lib.pl_scenario_title(self._h))

    @property
    def parties(self) -> List[str]:
        """The parties' names, in order (party index = position)."""
        return [_s(_lib.pl_party_name(self._h, p))
                for p in range(_lib.pl_scenario_num_parties(self._h))]

    @property
    def ratifiers(self) -> List[str]:
        """The ratifiers' names (parliaments, congresses), in order."""
        return [_s(_lib.pl_ratifier_name(self._h, r))
                for r in range(_lib.pl_scenario_num_ratifiers(self._h))]

    @property
    def issues(self) -> Dict[str, List[str]]:
        """Each issue's values, as text, in order (a package is one value
        index per issue)."""
        out = {}
        buf = ctypes.create_string_buffer(512)
        for i in range(_lib.pl_scenario_num_issues(self._h)):
            vals = []
            for v in range(_lib.pl_issue_num_values(self._h, i)):
                _lib.pl_issue_value_text(self._h, i, v, buf, len(buf))
                vals.append(buf.value.decode())
            out[_s(_lib.pl_issue_name(self._h, i))] = vals
        return out

    def _package(self, package: Sequence[int]):
        n = _lib.pl_scenario_num_issues(self._h)
        if len(package) != n:
            raise ValueError(f"a package has {n} value indices, not "
                             f"{len(package)}")
        for i, (v, vals) in enumerate(zip(package, self.issues.values())):
            if not 0 <= int(v) < len(vals):
                raise ValueError(f"value {v} of issue {i} is out of range")
        return (ctypes.c_uint32 * n)(*[int(v) for v in package])

    def utility(self, party: Union[int, str], package: Sequence[int]) -> float:
        """The party's (or, by name, a ratifier's) utility of a package."""
        if isinstance(party, str):
            if party in self.parties:
                party = self.parties.index(party)
            elif party in self.ratifiers:
                return _lib.pl_ratifier_utility(
                    self._h, self.ratifiers.index(party),
                    self._package(package))
            else:
                raise KeyError(party)
        return _lib.pl_party_utility(self._h, party, self._package(package))

    def feasible(self, package: Sequence[int]) -> bool:
        """Whether the package (one value index per issue) meets every
        constraint."""
        return bool(_lib.pl_outcome_feasible(self._h, self._package(package)))

    def in_zone(self, package: Sequence[int]) -> bool:
        """Whether the package is in the agreement zone: feasible,
        acceptable to every party and approved by every ratifier."""
        return bool(_lib.pl_outcome_in_zone(self._h, self._package(package)))

    def analyze(self, threads: int = 0, max_outcomes: int = 0,
                frontier: str = "zone", count: bool = True) -> "Analysis":
        """`parley analyze`: frontier "zone", "all" or "none"."""
        if frontier not in ("zone", "all", "none"):
            raise ValueError("frontier is 'zone', 'all' or 'none'")
        o = _lib.AnalysisOptions()
        _lib.pl_analysis_options_init(ctypes.byref(o))
        o.threads = threads
        if max_outcomes:
            o.max_outcomes = max_outcomes
        o.frontier_all = frontier == "all"
        o.no_frontier = frontier == "none"
        o.no_count = not count
        st = ctypes.c_int(0)
        with _Diag() as d:
            h = _lib.pl_analyze(self._h, ctypes.byref(o), d.h,
                                ctypes.byref(st))
            if not h:
                raise d.fail(st.value)
            return Analysis(self, h)

    def negotiate(self, agents: Union[str, Sequence[str]] = "boulware",
                  protocol: str = "saop", rounds: int = 100, seed: int = 1,
                  trace: bool = False, threads: int = 0,
                  ignore_ratifiers: bool = False) -> "Negotiation":
        """`parley negotiate` with built-in or plug-in agents by name
        ("conceder:e=1.5"): one for all or one per party."""
        if not isinstance(agents, str):
            agents = ",".join(a if isinstance(a, str) else register_agent(a)
                              for a in agents)
        del _agents.errors[:]
        o = _lib.NegotiationOptions()
        _lib.pl_negotiation_options_init(ctypes.byref(o))
        keep = [protocol.encode(), agents.encode()]
        o.protocol, o.agents = keep
        o.rounds, o.seed, o.trace, o.threads = rounds, seed, trace, threads
        o.ignore_ratifiers = ignore_ratifiers
        st = ctypes.c_int(0)
        with _Diag() as d:
            h = _lib.pl_negotiate(self._h, ctypes.byref(o), d.h,
                                  ctypes.byref(st))
            if not h:
                raise d.fail(st.value)
            n = Negotiation(self, h)
            n.agent_errors = list(_agents.errors)
            return n


class Analysis:
    """The result of Scenario.analyze (docs/analysis.md)."""

    def __init__(self, scenario, handle):
        self.scenario = scenario  # the analysis reads it: keep it alive
        self._h = handle

    def __del__(self):
        if getattr(self, "_h", None):
            _lib.pl_analysis_free(self._h)
            self._h = None

    def to_dict(self) -> dict:
        """The document of `parley analyze --json`, written by the library."""
        return json.loads(_lib.document(_lib.pl_analysis_json, self._h))

    def __str__(self) -> str:
        return _lib.document(_lib.pl_analysis_text, self._h)

    @property
    def zone_size(self) -> Optional[int]:
        """Packages in the agreement zone; None when not counted."""
        if not _lib.pl_analysis_counted(self._h):
            return None
        return _lib.pl_analysis_zone_size(self._h)

    def _frontier(self):
        if not _lib.pl_analysis_frontier_known(self._h):
            return None, None
        n = _lib.pl_analysis_frontier_size(self._h)
        ni = _lib.pl_scenario_num_issues(self.scenario._h)
        npar = _lib.pl_scenario_num_parties(self.scenario._h)
        u = np.zeros((n, npar))
        pk = np.zeros((n, ni), dtype=np.uint32)
        for k in range(n):
            _lib.pl_analysis_frontier_point(
                self._h, k, pk[k].ctypes.data_as(_lib.P_u32),
                u[k].ctypes.data_as(_lib.P_double))
        return u, pk

    @property
    def frontier(self) -> Optional[np.ndarray]:
        """The Pareto frontier: points x parties utilities (the JSON's
        "pareto", in its order); None when it is not known."""
        return self._frontier()[0]

    @property
    def frontier_packages(self) -> Optional[np.ndarray]:
        """The packages of the frontier's points: points x issues value
        indices."""
        return self._frontier()[1]

    @property
    def solutions(self) -> Dict[str, Optional[List[int]]]:
        """Each bargaining solution's package (None when the zone is
        empty), and GENIUS's "KS"."""
        ni = _lib.pl_scenario_num_issues(self.scenario._h)
        out = {}
        for w, name in enumerate(SOLUTIONS):
            v = (ctypes.c_uint32 * ni)()
            out[name] = list(v) if _lib.pl_analysis_solution(self._h, w, v) \
                else None
        return out


class Negotiation:
    """The result of Scenario.negotiate (docs/protocols.md). agent_errors
    lists (agent, party, exception text) for Python agents that raised."""

    def __init__(self, scenario, handle):
        self.scenario = scenario
        self._h = handle

    def __del__(self):
        if getattr(self, "_h", None):
            _lib.pl_negotiation_free(self._h)
            self._h = None

    def to_dict(self) -> dict:
        """The document of `parley negotiate --json`."""
        return json.loads(_lib.document(_lib.pl_negotiation_json, self._h))

    def __str__(self) -> str:
        return _lib.document(_lib.pl_negotiation_text, self._h)


from . import agents as _agents  # noqa: E402 (it uses _Diag above)
from .agents import ACCEPT, END, REJECT, Agent, State  # noqa: E402

register_agent = _agents.register


class TournamentResult:
    """What parley.tournament ran: `summary` (summary.json as a dict),
    `rows` (results.jsonl, one dict per negotiation, by index), `run`
    (total, done_before, played, interrupted, seconds, threads)."""

    def __init__(self, summary, rows, run):
        self.summary, self.rows, self.run = summary, rows, run


def tournament(config: str, out: str, threads: int = 0, resume: bool = False,
               progress: Optional[Callable[[int, int], None]] = None
               ) -> TournamentResult:
    """Runs a tournament configuration (docs/tournament.md) into the
    results folder `out` (resume=True continues a stopped run there).
    Python agents take part by name once registered (register_agent);
    progress(done, total) is called as rows arrive."""
    opts = _lib.TournamentOptions()
    _lib.pl_tournament_options_init(ctypes.byref(opts))
    opts.threads = threads
    opts.out = out.encode()
    opts.resume = resume
    cb = _lib.PROGRESS(lambda ctx, done, total: progress(done, total)) \
        if progress else _lib.PROGRESS()
    opts.progress = cb
    st = ctypes.c_int(0)
    with _Diag() as d:
        t = (_lib.pl_tournament_open(out.encode(), d.h) if resume else
             _lib.pl_tournament_load(config.encode(), None, d.h))
        if not t:
            raise d.fail()
        try:
            s = _lib.pl_tournament_run(t, ctypes.byref(opts), d.h,
                                       ctypes.byref(st))
        finally:
            _lib.pl_tournament_free(t)
        if not s:
            raise d.fail(st.value)
        try:
            summary = json.loads(_lib.document(_lib.pl_tournament_summary_json, s))
            info = _lib.pl_tournament_summary_run(s)
            run = {k: getattr(info, k) for k, _ in _lib.RunInfo._fields_}
        finally:
            _lib.pl_tournament_summary_free(s)
        r = _lib.pl_tournament_rows_load(out.encode(), d.h)
        if not r:
            raise d.fail()
        try:
            rows = [json.loads(_lib.pl_tournament_row_json(r, i, None))
                    for i in range(_lib.pl_tournament_rows_count(r))]
        finally:
            _lib.pl_tournament_rows_free(r)
    return TournamentResult(summary, rows, run)


__all__ += ["tournament", "TournamentResult"]


class Stability:
    """The result of Conflict.stability (docs/stability.md)."""

    def __init__(self, conflict, handle):
        self.conflict = conflict  # the result reads it: keep it alive
        self._h = handle

    def __del__(self):
        if getattr(self, "_h", None):
            _lib.pl_stability_free(self._h)
            self._h = None

    def to_dict(self) -> dict:
        """The document of `parley stability --json`."""
        return json.loads(_lib.document(_lib.pl_stability_json, self._h))

    def __str__(self) -> str:
        return _lib.document(_lib.pl_stability_text, self._h)


class Conflict:
    """A conflict in option form for the Graph Model for Conflict
    Resolution: parley's conflict JSON or a GMCR+ .gmcr file."""

    def __init__(self, handle):
        self._h = handle

    def __del__(self):
        if getattr(self, "_h", None):
            _lib.pl_conflict_free(self._h)
            self._h = None

    @classmethod
    def load(cls, path: Optional[str] = None) -> "Conflict":
        """From a file; without one, the built-in talks conflict."""
        with _Diag() as d:
            h = (_lib.pl_conflict_load_file(path.encode(), d.h) if path
                 else _lib.pl_conflict_builtin(d.h))
            if not h:
                raise d.fail()
            return cls(h)

    @property
    def name(self) -> str:
        """The conflict's name."""
        return _s(_lib.pl_conflict_name(self._h))

    @property
    def dms(self) -> List[str]:
        """The decision makers' names, in order."""
        return [_s(_lib.pl_conflict_dm_name(self._h, k))
                for k in range(_lib.pl_conflict_num_dms(self._h))]

    @property
    def options(self) -> List[str]:
        """The options' names (each decision maker controls some of them)."""
        return [_s(_lib.pl_conflict_option_name(self._h, k))
                for k in range(_lib.pl_conflict_num_options(self._h))]

    def stability(self, threads: int = 0, coalitions: Optional[str] = None,
                  start: Optional[str] = None, explain: bool = True,
                  limited_move: bool = False, horizon: int = 0) -> Stability:
        """`parley stability`: Nash, GMR, SMR and SEQ for every state."""
        o = _lib.StabilityOptions()
        _lib.pl_stability_options_init(ctypes.byref(o))
        keep = [coalitions.encode() if coalitions else None,
                start.encode() if start else None]
        o.threads, o.coalitions, o.from_ = threads, keep[0], keep[1]
        o.explain, o.limited_move = explain, limited_move
        if horizon:
            o.horizon = horizon
        st = ctypes.c_int(0)
        with _Diag() as d:
            h = _lib.pl_stability_analyze(self._h, ctypes.byref(o), d.h,
                                          ctypes.byref(st))
            if not h:
                raise d.fail(st.value)
            return Stability(self, h)


__all__ += ["Conflict", "Stability"]
