"""Loading libparley.so and declaring the C functions the package calls.

Search order (the first that loads wins; python/README.md):
  1. the environment variable PARLEY_LIBRARY (a path to libparley.so*),
     and nothing else when it is set;
  2. a build tree next to this package's source: ../build/libparley.so
     and ../build-*/libparley.so, the most recently built first (python/
     used from a clone);
  3. for an installed package (pip install ./python), what the clone it
     was built from had (parley/_where.py, written by python/setup.py):
     that clone's build trees as in 2, then the libraries `cmake
     --install` put in place from them (their install_manifest.txt);
  4. `pkg-config --variable=libdir parley` (an installed parley.pc on
     PKG_CONFIG_PATH);
  5. the system's search path: ctypes.util.find_library("parley") and
     "libparley.so.0" (/usr/lib, ldconfig's cache, LD_LIBRARY_PATH).
A library that is there but does not load (e.g. a sanitizer build without
its runtimes preloaded) is skipped, and named if none loads.
"""
import ctypes
import ctypes.util
import glob
import os
import shutil
import subprocess

_HERE = os.path.dirname(os.path.abspath(__file__))


def _build_trees(root):
    # the one built last first: an old tree (a Release build/ left from
    # before a pull) may lack newer functions
    trees = glob.glob(os.path.join(root, "build", "libparley.so"))
    trees += glob.glob(os.path.join(root, "build-*", "libparley.so"))
    yield from sorted(trees, key=os.path.getmtime, reverse=True)


def _pkg_config_libdir():
    if not shutil.which("pkg-config"):
        return None
    try:
        out = subprocess.run(["pkg-config", "--variable=libdir", "parley"],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def _candidates():
    env = os.environ.get("PARLEY_LIBRARY")
    if env:
        yield env
        return
    yield from _build_trees(os.path.dirname(os.path.dirname(_HERE)))
    try:
        from . import _where  # only in an installed copy
    except ImportError:
        _where = None
    if _where is not None:
        if _where.SOURCE_ROOT:
            yield from _build_trees(_where.SOURCE_ROOT)
        yield from _where.INSTALLED
    libdir = _pkg_config_libdir()
    if libdir:
        yield os.path.join(libdir, "libparley.so")
    found = ctypes.util.find_library("parley")
    if found:
        yield found
    yield "libparley.so.0"


def _load():
    errors = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            continue
        try:
            # Global, so that C plug-ins (parley.load_agents) find its symbols.
            return ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL), path
        except OSError as e:  # keep looking, say why at the end
            errors.append(f"{path}: {e}")
    raise OSError("cannot find libparley.so; set PARLEY_LIBRARY to its path"
                  + ("\n  " + "\n  ".join(errors) if errors else ""))


lib, path = _load()

c_char_p, c_void_p, c_size_t = ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t
c_uint32, c_uint64, c_int, c_bool, c_double = (ctypes.c_uint32, ctypes.c_uint64,
                                               ctypes.c_int, ctypes.c_bool,
                                               ctypes.c_double)
P_u32 = ctypes.POINTER(c_uint32)
P_double = ctypes.POINTER(c_double)


class Problem(ctypes.Structure):
    _fields_ = [("file", c_char_p), ("line", c_int), ("column", c_int),
                ("message", c_char_p)]


class LoadOptions(ctypes.Structure):
    _fields_ = [("raw_evaluations", c_bool)]


class GenerateOptions(ctypes.Structure):
    _fields_ = [("parties", c_uint32), ("issues", c_uint32),
                ("values", c_uint32), ("seed", c_uint64)]


class AnalysisOptions(ctypes.Structure):
    _fields_ = [("threads", ctypes.c_uint), ("max_outcomes", c_uint64),
                ("frontier_all", c_bool), ("no_frontier", c_bool),
                ("no_count", c_bool), ("plan", ctypes.c_int),
                # deal design (docs/analysis.md 8.1, 8.3): left NULL here
                ("packages", ctypes.POINTER(ctypes.c_char_p)),
                ("npackages", ctypes.c_size_t), ("groups", ctypes.c_char_p),
                # progress callback: left NULL here
                ("progress", c_void_p), ("progress_ctx", c_void_p)]


class NegotiationOptions(ctypes.Structure):
    _fields_ = [("protocol", c_char_p), ("agents", c_char_p),
                ("rounds", c_uint32), ("seconds", c_double),
                ("seed", c_uint64), ("ignore_ratifiers", c_bool),
                ("trace", c_bool), ("mediator", c_char_p),
                ("start_from", c_char_p), ("quota", c_uint32),
                ("change", c_uint32), ("anneal", c_double),
                ("threads", ctypes.c_uint), ("on_event", c_void_p),
                ("on_event_ctx", c_void_p), ("agent_context", c_void_p),
                # progress callback: left NULL here
                ("progress", c_void_p), ("progress_ctx", c_void_p)]


def _fn(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    globals()[name] = f


_fn("pl_version", c_char_p)
_fn("pl_diag_new", c_void_p)
_fn("pl_diag_free", None, c_void_p)
_fn("pl_diag_count", c_size_t, c_void_p)
_fn("pl_diag_get", Problem, c_void_p, c_size_t)
_fn("pl_scenario_load", c_void_p, ctypes.POINTER(c_char_p), c_size_t,
    ctypes.POINTER(LoadOptions), c_void_p)
_fn("pl_scenario_load_string", c_void_p, c_char_p, c_char_p, c_void_p)
_fn("pl_scenario_builtin", c_void_p, c_char_p, c_void_p)
_fn("pl_generate", c_void_p, ctypes.POINTER(GenerateOptions), c_void_p)
_fn("pl_scenario_free", None, c_void_p)
_fn("pl_scenario_name", c_char_p, c_void_p)
_fn("pl_scenario_title", c_char_p, c_void_p)
_fn("pl_scenario_num_issues", c_uint32, c_void_p)
_fn("pl_scenario_num_parties", c_uint32, c_void_p)
_fn("pl_scenario_num_ratifiers", c_uint32, c_void_p)
_fn("pl_issue_name", c_char_p, c_void_p, c_uint32)
_fn("pl_issue_num_values", c_uint32, c_void_p, c_uint32)
_fn("pl_issue_value_text", c_size_t, c_void_p, c_uint32, c_uint32, c_char_p,
    c_size_t)
_fn("pl_party_name", c_char_p, c_void_p, c_uint32)
_fn("pl_ratifier_name", c_char_p, c_void_p, c_uint32)
_fn("pl_party_utility", c_double, c_void_p, c_uint32, P_u32)
_fn("pl_ratifier_utility", c_double, c_void_p, c_uint32, P_u32)
_fn("pl_outcome_feasible", c_bool, c_void_p, P_u32)
_fn("pl_outcome_in_zone", c_bool, c_void_p, P_u32)
_fn("pl_analysis_options_init", None, ctypes.POINTER(AnalysisOptions))
_fn("pl_analyze", c_void_p, c_void_p, ctypes.POINTER(AnalysisOptions),
    c_void_p, ctypes.POINTER(c_int))
_fn("pl_analysis_free", None, c_void_p)
_fn("pl_analysis_json", c_size_t, c_void_p, c_char_p, c_size_t)
_fn("pl_analysis_text", c_size_t, c_void_p, c_char_p, c_size_t)
_fn("pl_analysis_counted", c_bool, c_void_p)
_fn("pl_analysis_zone_size", c_uint64, c_void_p)
_fn("pl_analysis_frontier_known", c_bool, c_void_p)
_fn("pl_analysis_frontier_size", c_size_t, c_void_p)
_fn("pl_analysis_frontier_point", c_bool, c_void_p, c_size_t, P_u32, P_double)
_fn("pl_analysis_solution", c_bool, c_void_p, c_int, P_u32)
_fn("pl_negotiation_options_init", None, ctypes.POINTER(NegotiationOptions))
_fn("pl_negotiate", c_void_p, c_void_p, ctypes.POINTER(NegotiationOptions),
    c_void_p, ctypes.POINTER(c_int))
_fn("pl_negotiation_free", None, c_void_p)
_fn("pl_negotiation_json", c_size_t, c_void_p, c_char_p, c_size_t)
_fn("pl_negotiation_text", c_size_t, c_void_p, c_char_p, c_size_t)
_fn("pl_agent_count", c_size_t)
_fn("pl_agent_load_plugin", c_int, c_char_p, c_void_p)


def document(writer, handle):
    """A *_json or *_text writer's whole output as a str."""
    n = writer(handle, None, 0)
    if n == 0:
        raise MemoryError("the document could not be written")
    buf = ctypes.create_string_buffer(n + 1)
    writer(handle, buf, n + 1)
    return buf.value.decode("utf-8")

# ---- Agents (parley_agent.h) ----

START = ctypes.CFUNCTYPE(c_bool, c_void_p, c_void_p, P_double, c_void_p,
                         c_size_t)
ACT = ctypes.CFUNCTYPE(c_int, c_void_p, c_void_p, c_double, P_u32, P_u32)
OBSERVE = ctypes.CFUNCTYPE(None, c_void_p, c_void_p, c_uint32, c_int, P_u32)
FINISH = ctypes.CFUNCTYPE(None, c_void_p)


class AgentClass(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("summary", c_char_p),
                ("source", c_char_p), ("params", c_void_p),
                ("state_size", c_size_t), ("start", START), ("act", ACT),
                ("observe", OBSERVE), ("vote", c_void_p), ("sign", c_void_p),
                ("finish", FINISH)]


_fn("pl_agent_register", c_int, ctypes.POINTER(AgentClass), c_void_p)
_fn("pl_agent_find", c_void_p, c_char_p)
_fn("pl_self_index", c_uint32, c_void_p)
_fn("pl_self_parties", c_uint32, c_void_p)
_fn("pl_self_issues", c_uint32, c_void_p)
_fn("pl_self_values", c_uint32, c_void_p, c_uint32)
_fn("pl_self_utility", c_double, c_void_p, P_u32)
_fn("pl_self_reservation", c_double, c_void_p)
_fn("pl_self_best", c_double, c_void_p)
_fn("pl_self_worst", c_double, c_void_p)
_fn("pl_self_can_sign", c_bool, c_void_p, P_u32)
_fn("pl_self_near", c_bool, c_void_p, c_double, c_double, c_double, P_u32)
_fn("pl_self_ranked", c_bool, c_void_p, c_uint64, P_u32)
_fn("pl_self_random", c_double, c_void_p)
_fn("pl_self_random_below", c_uint64, c_void_p, c_uint64)
_fn("pl_self_fail", None, c_void_p, c_char_p)

# ---- Tournaments (parley_tournament.h) ----

PROGRESS = ctypes.CFUNCTYPE(None, c_void_p, c_uint64, c_uint64)


class TournamentOptions(ctypes.Structure):
    _fields_ = [("threads", ctypes.c_uint), ("out", c_char_p),
                ("resume", c_bool), ("cancel", ctypes.POINTER(c_int)),
                ("progress", PROGRESS), ("progress_ctx", c_void_p),
                ("log", c_void_p), ("processes", c_void_p)]


class RunInfo(ctypes.Structure):
    _fields_ = [("total", c_uint64), ("done_before", c_uint64),
                ("played", c_uint64), ("interrupted", c_bool),
                ("seconds", c_double), ("threads", ctypes.c_uint),
                ("processes", c_int)]


_fn("pl_tournament_load", c_void_p, c_char_p, c_char_p, c_void_p)
_fn("pl_tournament_open", c_void_p, c_char_p, c_void_p)
_fn("pl_tournament_free", None, c_void_p)
_fn("pl_tournament_options_init", None, ctypes.POINTER(TournamentOptions))
_fn("pl_tournament_run", c_void_p, c_void_p, ctypes.POINTER(TournamentOptions),
    c_void_p, ctypes.POINTER(c_int))
_fn("pl_tournament_summary_free", None, c_void_p)
_fn("pl_tournament_summary_json", c_size_t, c_void_p, c_char_p, c_size_t)
_fn("pl_tournament_summary_run", RunInfo, c_void_p)
_fn("pl_tournament_rows_load", c_void_p, c_char_p, c_void_p)
_fn("pl_tournament_rows_free", None, c_void_p)
_fn("pl_tournament_rows_count", c_size_t, c_void_p)
_fn("pl_tournament_row_json", c_char_p, c_void_p, c_size_t,
    ctypes.POINTER(c_size_t))

# ---- Conflicts (GMCR) ----


class StabilityOptions(ctypes.Structure):
    _fields_ = [("threads", ctypes.c_uint), ("concepts", ctypes.c_uint),
                ("max_states", c_uint64), ("coalitions", c_char_p),
                ("from_", c_char_p), ("explain", c_bool),
                ("limited_move", c_bool), ("horizon", c_uint32)]


_fn("pl_conflict_load_file", c_void_p, c_char_p, c_void_p)
_fn("pl_conflict_builtin", c_void_p, c_void_p)
_fn("pl_conflict_free", None, c_void_p)
_fn("pl_conflict_name", c_char_p, c_void_p)
_fn("pl_conflict_num_dms", c_uint32, c_void_p)
_fn("pl_conflict_dm_name", c_char_p, c_void_p, c_uint32)
_fn("pl_conflict_num_options", c_uint32, c_void_p)
_fn("pl_conflict_option_name", c_char_p, c_void_p, c_uint32)
_fn("pl_stability_options_init", None, ctypes.POINTER(StabilityOptions))
_fn("pl_stability_analyze", c_void_p, c_void_p,
    ctypes.POINTER(StabilityOptions), c_void_p, ctypes.POINTER(c_int))
_fn("pl_stability_free", None, c_void_p)
_fn("pl_stability_json", c_size_t, c_void_p, c_char_p, c_size_t)
_fn("pl_stability_text", c_size_t, c_void_p, c_char_p, c_size_t)
