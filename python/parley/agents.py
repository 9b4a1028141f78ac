"""Agents written in Python (docs/agents.md): a class with NegMAS's shape,
registered with the library under a name and then used exactly like a
built-in agent.

    class Stubborn(parley.Agent):
        def propose(self, state):
            return state.ranked(0)            # my best package
        def respond(self, state, offer):
            good = state.utility(offer) >= 0.8
            return parley.ACCEPT if good else parley.REJECT

    scenario.negotiate(agents=[Stubborn, "boulware", "micro"])

The engine calls the agent once per turn through ctypes (a few
microseconds a call) while holding the GIL, so Python agents play one
negotiation at a time; results do not depend on `threads=` (which only
the analysis that scores the result uses). An agent that raises, or
returns something that is not a valid package, ends the talks with a
protocol violation by its party, whose message (the JSON's "violation",
a tournament row's "violation") is "<Party>'s agent failed: Python agent
'<name>' raised <Exception>: <text>"; the result's `agent_errors` lists
every exception, on_action's included.
"""
import ctypes
import itertools
import traceback
from typing import Callable, List, Optional, Sequence

from . import _lib

ACCEPT, REJECT, END = "accept", "reject", "end"
_OFFER, _ACCEPT, _END, _INVALID = 0, 1, 2, 99


class State:
    """The agent's window on the talks (the pl_self_* services)."""

    def __init__(self, me):
        self._me = me
        self.t = 0.0  # normalised time of the current turn, in [0, 1)
        self.index = _lib.pl_self_index(me)
        self.parties = _lib.pl_self_parties(me)
        self.issues = _lib.pl_self_issues(me)
        self.values = [_lib.pl_self_values(me, i) for i in range(self.issues)]
        self.reservation = _lib.pl_self_reservation(me)
        self.best = _lib.pl_self_best(me)
        self.worst = _lib.pl_self_worst(me)

    def _pkg(self, package):
        return (ctypes.c_uint32 * self.issues)(*[int(v) for v in package])

    def utility(self, package: Sequence[int]) -> float:
        """Its own utility of a package (one value index per issue)."""
        return _lib.pl_self_utility(self._me, self._pkg(package))

    def can_sign(self, package: Sequence[int]) -> bool:
        """Whether it may sign the package: constraints, its red lines and
        (in the two-level game) its own ratifiers."""
        return bool(_lib.pl_self_can_sign(self._me, self._pkg(package)))

    def near(self, target: float, lo: float = 0.0,
             hi: float = 1.0) -> Optional[List[int]]:
        """The package it can sign closest to `target` from above, within
        [lo, hi]; None when none."""
        out = (ctypes.c_uint32 * self.issues)()
        return list(out) if _lib.pl_self_near(self._me, target, lo, hi, out) \
            else None

    def ranked(self, n: int) -> Optional[List[int]]:
        """Its n-th best package it can sign (0 = best); None past the end."""
        out = (ctypes.c_uint32 * self.issues)()
        return list(out) if _lib.pl_self_ranked(self._me, n, out) else None

    def random(self) -> float:
        """Uniform in [0, 1), from its own seeded stream."""
        return _lib.pl_self_random(self._me)


class Agent:
    """Subclass and define propose(state) and respond(state, offer)."""

    def on_start(self, state: State) -> None:
        """Called once before the talks (optional)."""

    def propose(self, state: State) -> Sequence[int]:
        """The package to offer now: one value index per issue. Required."""
        raise NotImplementedError

    def respond(self, state: State, offer: List[int]) -> str:
        """parley.ACCEPT, REJECT (then propose is asked for a counter-offer)
        or END (walk out) to the offer on the table; default REJECT."""
        return REJECT

    def on_action(self, state: State, party: int, action: str,
                  offer: Optional[List[int]]) -> None:
        """Every action of another party: "offer" (with the package),
        "accept" or "end" (optional)."""


_ids = itertools.count(1)
_live = {}        # state id -> (agent, State)
_classes = {}     # name -> (AgentClass, callbacks kept alive)
errors = []       # (agent name, party, text) since the last negotiate()


def _fail(name, state, exc):
    """Records the exception and returns its text ("ValueError: ...")."""
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    errors.append((name, state.index if state else -1, text))
    return text


def _violation(me, name, text):
    """Tells the engine why the agent stops (pl_self_fail): the protocol
    violation's message ("violation" in the JSON) then carries it."""
    _lib.pl_self_fail(me, f"Python agent '{name}' raised {text}".encode(
        "utf-8", "replace"))


def register(factory: Callable[[], "Agent"], name: Optional[str] = None,
             summary: str = "") -> str:
    """Registers a Python agent class (or factory) under `name` (default:
    the class name in lower case) and returns the name."""
    name = (name or getattr(factory, "__name__", "python-agent")).lower()
    if name in _classes:
        return name

    def start(state_p, me, params, msg, msglen):
        sid = next(_ids)
        ctypes.c_uint64.from_address(state_p).value = sid
        st = State(me)
        try:
            agent = factory()
            agent.on_start(st)
        except Exception as e:  # noqa: BLE001 - reported, never a crash
            st.start_error = _fail(name, st, e)
            agent = None
        _live[sid] = (agent, st)
        return True

    def offer_into(st, package, out):
        pk = list(package)
        if len(pk) != st.issues:
            raise ValueError(f"a package has {st.issues} values, not {len(pk)}")
        for i, v in enumerate(pk):
            v = int(v)
            out[i] = v if 0 <= v < 2**32 else st.values[i]  # out of range

    def act(state_p, me, t, table, offer):
        agent, st = _live[ctypes.c_uint64.from_address(state_p).value]
        st.t = t
        if agent is None:
            _violation(me, name, st.start_error)
            return _INVALID
        try:
            if table:
                answer = agent.respond(st, [table[i] for i in range(st.issues)])
                if answer == ACCEPT:
                    return _ACCEPT
                if answer == END:
                    return _END
                if answer != REJECT:
                    raise ValueError(f"respond returned {answer!r}, not "
                                     "parley.ACCEPT, REJECT or END")
            offer_into(st, agent.propose(st), offer)
            return _OFFER
        except Exception as e:  # noqa: BLE001
            _violation(me, name, _fail(name, st, e))
            return _INVALID

    def observe(state_p, me, party, action, offer):
        agent, st = _live[ctypes.c_uint64.from_address(state_p).value]
        if agent is None:
            return
        kind = {0: "offer", 1: ACCEPT, 2: END}.get(action, "?")
        pk = [offer[i] for i in range(st.issues)] if offer else None
        try:
            agent.on_action(st, party, kind, pk)
        except Exception as e:  # noqa: BLE001
            _fail(name, st, e)

    def finish(state_p):
        _live.pop(ctypes.c_uint64.from_address(state_p).value, None)

    cbs = (_lib.START(start), _lib.ACT(act), _lib.OBSERVE(observe),
           _lib.FINISH(finish))
    keep = [name.encode(), (summary or f"Python agent {name}").encode(),
            b"Python"]
    cls = _lib.AgentClass(keep[0], keep[1], keep[2], None, 8, cbs[0], cbs[1],
                          cbs[2], None, None, cbs[3])
    from . import _Diag  # late: __init__ imports this module
    with _Diag() as d:
        if _lib.pl_agent_register(ctypes.byref(cls), d.h) != 0:
            raise d.fail()
    _classes[name] = (cls, cbs, keep)
    return name
