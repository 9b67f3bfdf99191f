"""Polish whole units by moves that each strictly lower ``sum (prior + income)^2 / weight``.

Two kinds of move, both keeping every item's total and every capacity:

* an *exchange* hands one unit of an item from household ``a`` to household ``b``;
* a *swap* between items ``j`` and ``k`` (``j`` dearer) has ``a`` hand a unit of ``j`` to ``b`` and
  take back a unit of ``k`` from ``b``: ``price_j - price_k`` fen change hands, a finer step than
  any single unit, which lets levels come closer together than one unit of the dearest item.

A move of ``delta`` fen from ``a`` to ``b`` lowers the objective exactly when ``b``'s level
half-way through the move stays below ``a``'s: ``(M_b + delta/2) / w_b < (M_a - delta/2) / w_a``
(money ``M``, weight ``w``). That is the poorest-first rule for whole units. In each group of
moves the lowest receivers are paired with the highest senders, as many pairs as improve; groups
are revisited while any of their households changed. Exchanges and swaps run together for
``SWAP_PASSES`` passes (swaps are a best effort: on most instances they have settled by then),
then exchanges alone until none improves. Swaps are only tried between items whose common levels
(in the continuous optimum) lie within a few units of each other, among the households standing
near them: elsewhere no swap can improve anything. A group found without an improving move is
looked at again only through the households that changed since. Every move lowers the
objective, so this ends, and at the end no single-unit exchange within an item improves the
allocation: each item's allocation is then optimal given the others (separable convex costs
under one sum constraint).

Pinned pairs take no part. Ties go to the earlier pair, so the result is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Passes over exchanges and swaps together; swaps are a best effort within this budget.
SWAP_PASSES = 4
#: Safety cap on the final exchange-only passes (they stop by themselves long before).
MAX_EXCHANGE_PASSES = 1000
#: A move must improve by more than this relative margin, so float noise cannot cycle.
_MARGIN = 1e-12


@dataclass(frozen=True)
class MoveGroup:
    """Moves of ``delta`` fen between the households of one group.

    A sender gives a unit at pair ``give[i]`` and, for a swap, takes one at pair ``take[i]``; a
    receiver does the reverse. ``household[i]`` owns both pairs.
    """

    household: np.ndarray
    give: np.ndarray
    take: np.ndarray | None
    delta: int


def move_groups(household, item, starts, price, level=None, common=None, weight=None):
    """``(exchanges, swaps)`` for the free pairs in item-major order: one exchange group per item,
    and one swap group per two differently priced items that share households.

    With ``level`` and ``weight`` (per household, ``level`` where it stands now) and ``common``
    (per item, its common level in the continuous optimum, ``nan`` where it was handed out
    completely or not at all), swap groups are built only for items whose common levels meet and
    hold only the households standing near them, see :func:`_swap_band`; without them every
    swap group is built.
    """
    exchanges = [
        MoveGroup(household[starts[j]:starts[j + 1]], np.arange(starts[j], starts[j + 1]), None,
                  int(price[j]))
        for j in range(len(price))
        if starts[j + 1] - starts[j] >= 2
    ]
    return exchanges, _swap_groups(household, starts, price, level, common, weight)


def _swap_groups(household, starts, price, level, common, weight):
    """Swap groups in (dearer item, cheaper item) order, households in input order."""
    m = len(price)
    price = np.asarray(price)
    n = int(household.max()) + 1 if len(household) else 0
    position = {}  # item -> position of each household's pair of that item (-1: none)

    def positions(k):
        if k not in position:
            where = np.full(n, -1, dtype=np.int64)
            where[household[starts[k]:starts[k + 1]]] = np.arange(starts[k], starts[k + 1])
            position[k] = where
        return position[k]

    swaps = []
    for j in range(m):
        dear = np.arange(starts[j], starts[j + 1])
        if len(dear) < 2:
            continue
        lightest = float(weight[household[dear]].min()) if level is not None else 1.0
        for k in np.flatnonzero(price < price[j]).tolist():
            if starts[k + 1] - starts[k] < 2:
                continue
            band = None
            if level is not None:
                band = _swap_band(price, common, j, k, lightest)
                if band is None:
                    continue
            cheap = positions(k)[household[dear]]
            keep = cheap >= 0
            if band is not None:
                owners = household[dear]
                keep &= (level[owners] >= band[0]) & (level[owners] <= band[1])
            if np.count_nonzero(keep) >= 2:
                a = dear[keep]
                swaps.append(MoveGroup(household[a], a, cheap[keep], int(price[j] - price[k])))
    return swaps


#: How many whole-unit steps of slack the swap band allows around the common levels.
_BAND_STEPS = 4.0


def _swap_band(price, common, j, k, lightest):
    """The levels between which a swap of items ``j`` and ``k`` can improve anything, or ``None``.

    A sender of ``j`` holds some (so its level is at most about one unit above ``j``'s common
    level) and has room for ``k`` (so it is at least about one unit below ``k``'s); a receiver
    the reverse, and the receiver must end below the sender. So both stand within a unit or so of
    both common levels, and the two common levels lie within a couple of units of each other.
    Items handed out completely (nobody has room) or not at all (nobody holds any) take part in
    no swap. The band allows ``_BAND_STEPS`` units of the dearer item for the ``lightest``
    household (the one a unit lifts most) on each side.
    """
    low, high = common[j], common[k]
    if not (np.isfinite(low) and np.isfinite(high)):
        return None
    low, high = min(low, high), max(low, high)
    slack = _BAND_STEPS * float(price[j]) / lightest
    if high - low > 2 * slack:
        return None
    return low - slack, high + slack


def improve(units, cap, money, weight, exchanges, swaps):
    """Apply improving moves (see the module docstring); returns the number of moves made.

    ``units`` and ``cap`` are per free pair, ``money`` (int fen) and ``weight`` per household;
    ``units`` and ``money`` are updated in place.
    """
    changed_at = np.zeros(len(money), dtype=np.int64)  # step at which a household last changed
    state = {"step": 0, "moves": 0}
    everything = exchanges + swaps
    looks = [None] * len(everything)
    for _ in range(SWAP_PASSES):
        if not _pass(units, cap, money, weight, everything, looks, changed_at, state):
            break
    looks = looks[: len(exchanges)]
    for _ in range(MAX_EXCHANGE_PASSES):
        if not _pass(units, cap, money, weight, exchanges, looks, changed_at, state):
            break
    return state["moves"]


def _pass(units, cap, money, weight, groups, looks, changed_at, state):
    """One pass over the groups whose households changed since their last look; returns the
    number of moves made.

    ``looks[g]`` is ``(step, bounds)`` of group ``g``'s last look: ``bounds`` is ``None`` if it
    moved units then, else ``(send, receive)``, a bound on every member's sending key from above
    and on its receiving key from below that proved no move improves. Then only the members that
    changed since need a look: if they stay within bounds that still prove it, the group is
    skipped without looking at the others.
    """
    moves = 0
    for g, group in enumerate(groups):
        look = looks[g]
        if look is not None:
            seen_at, bounds = look
            fresh = changed_at[group.household] >= seen_at
            if bounds is None:
                if not fresh.any():
                    continue  # nothing changed for these households since the last look
            else:
                changed = np.flatnonzero(fresh)
                if len(changed) == 0:
                    continue
                bounds = _still_quiet(units, cap, money, weight, group, changed, bounds)
                if bounds is not None:
                    state["step"] += 1
                    looks[g] = (state["step"], bounds)
                    continue
        state["step"] += 1
        receivers, senders, bounds = _apply_best_moves(units, cap, money, weight, group)
        looks[g] = (state["step"], bounds)
        if bounds is None:
            changed_at[group.household[receivers]] = state["step"]
            changed_at[group.household[senders]] = state["step"]
            moves += len(receivers)
    state["moves"] += moves
    return moves


def _keys(units, cap, money, weight, group, members=None):
    """Sending and receiving keys of a group's members (all, or the positions ``members``):
    a member's level half a move down or up, or -inf / +inf where it cannot send / receive."""
    give, take, owners = group.give, group.take, group.household
    if members is not None:
        give, owners = give[members], owners[members]
        take = None if take is None else take[members]
    held = units[give]
    can_send, can_receive = held > 0, held < cap[give]
    if take is not None:
        other = units[take]
        can_send &= other < cap[take]
        can_receive &= other > 0
    money_now = money[owners].astype(np.float64)
    member_weight = weight[owners]
    half = 0.5 * group.delta
    send_key = np.where(can_send, (money_now - half) / member_weight, -np.inf)
    receive_key = np.where(can_receive, (money_now + half) / member_weight, np.inf)
    return send_key, receive_key


def _quiet(send, receive):
    """True when no move from a household at sending key ``send`` to one at ``receive``
    improves."""
    return not receive * (1 + _MARGIN) < send


def _still_quiet(units, cap, money, weight, group, changed, bounds):
    """New bounds proving the group still has no improving move, or ``None`` if they cannot."""
    send_key, receive_key = _keys(units, cap, money, weight, group, changed)
    send = max(bounds[0], float(send_key.max()))
    receive = min(bounds[1], float(receive_key.min()))
    return (send, receive) if _quiet(send, receive) else None


def _apply_best_moves(units, cap, money, weight, group):
    """Pair the lowest receivers with the highest senders while that improves; apply the moves.

    Returns ``(receivers, senders, None)`` (positions within the group) after moving, or
    ``(None, None, (best_send, best_receive))`` when no move improves.
    """
    send_key, receive_key = _keys(units, cap, money, weight, group)
    best_send, best_receive = float(send_key.max()), float(receive_key.min())
    if _quiet(best_send, best_receive):
        return None, None, (best_send, best_receive)
    receivers = np.flatnonzero(receive_key * (1 + _MARGIN) < best_send)
    senders = np.flatnonzero(send_key > best_receive * (1 + _MARGIN))
    receivers = receivers[np.lexsort((receivers, receive_key[receivers]))]
    senders = senders[np.lexsort((senders, -send_key[senders]))]
    pairs = min(len(receivers), len(senders))
    improving = receive_key[receivers[:pairs]] * (1 + _MARGIN) < send_key[senders[:pairs]]
    count = pairs if improving.all() else int(improving.argmin())
    receivers, senders = receivers[:count], senders[:count]
    give, take, delta = group.give, group.take, group.delta
    # A household may both send and receive in one round; np.add.at nets that out.
    np.add.at(units, give[receivers], 1)
    np.add.at(units, give[senders], -1)
    if take is not None:
        np.add.at(units, take[receivers], -1)
        np.add.at(units, take[senders], 1)
    np.add.at(money, group.household[receivers], delta)
    np.add.at(money, group.household[senders], -delta)
    return receivers, senders, None
