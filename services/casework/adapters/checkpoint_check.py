"""Does today's log still extend a checkpoint someone kept outside Netra? (docs/decisions/0016)

The hash chains catch a row changed behind their back, but whoever can write the database can
recompute every hash after a change and leave both chains consistent. A signed checkpoint kept
by BKPPD pins the whole log's hash at one position: the hash recomputed here from the stored
events' content must still be that one. Where it is not, the checkpoints kept beside the log
whose signatures are good narrow down the span that was rewritten.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from services.casework.adapters import checkpoints
from services.casework.adapters.checkpoint_signing import verify
from services.casework.adapters.event_store import log_hash, stored_hash_of
from services.casework.adapters.tables import events


def _recomputed_at(conn, positions: set[int], up_to: int) -> tuple[dict[int, str], int | None]:
    """The whole log's hash recomputed from each event's content (not from the hashes stored with
    it), at each of `positions`; and the last position there is up to `up_to`."""
    found, chain, last = {}, None, None
    previous_in_stream: dict = {}
    rows = conn.execute(select(events).where(events.c.global_position <= up_to)
                        .order_by(events.c.global_position).execution_options(yield_per=1000))
    for row in rows:
        # The stream's chain as the content says it is: the previous event's recomputed hash (a
        # purged event of the first hash scheme has only its stored one, which its purge record names).
        own = stored_hash_of(row, previous_in_stream.get(row.stream_id)) or row.hash
        previous_in_stream[row.stream_id] = own
        chain, last = log_hash(chain, own), row.global_position
        if last in positions:
            found[last] = chain
    return found, last


def _when(signed: dict) -> str:
    return datetime.fromisoformat(signed["checkpoint"]["signed_at"]).isoformat(timespec="seconds")


def check(conn, signed: dict, keys) -> list[str]:
    """What is wrong between the log and the checkpoint `signed` (an empty list: the log extends it)."""
    if not verify(signed, keys):
        return ["the checkpoint's signature is not good: it was changed, or not signed with a key casework "
                "publishes (give the key BKPPD kept with --public-key)"]
    pinned = signed["checkpoint"]
    position = int(pinned["global_position"])
    vouching = [k for k in checkpoints.kept(conn)
                if verify(k, keys) and int(k["checkpoint"]["global_position"]) < position]
    hashes, last = _recomputed_at(conn, {position, *(int(k["checkpoint"]["global_position"]) for k in vouching)},
                                  position)
    if position not in hashes:
        end = f"position {last}" if last is not None else "nothing"
        return [f"position {position}, which the checkpoint of {_when(signed)} vouches for, is no longer in "
                f"the log (up to there it now holds {end}): events were removed"]
    if hashes[position] == pinned["log_hash"]:
        return []
    problem = (f"the log up to position {position} is not the one the checkpoint of {_when(signed)} vouches "
               f"for: its hash recomputed from the events is now {hashes[position]}, the checkpoint's is "
               f"{pinned['log_hash']} (events at or before position {position} were changed, removed or "
               f"inserted, and the hashes after them recomputed)")
    still = [k for k in vouching if hashes.get(int(k["checkpoint"]["global_position"])) == k["checkpoint"]["log_hash"]]
    if still:
        good = max(still, key=lambda k: int(k["checkpoint"]["global_position"]))
        since = int(good["checkpoint"]["global_position"])
        problem += (f"; the log up to position {since} still matches the checkpoint of {_when(good)}, so the "
                    f"rewrite lies in positions {since + 1}..{position}")
    return [problem]
