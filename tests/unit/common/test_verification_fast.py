"""The verifier's orjson path reproduces the one canonical encoding (events/envelope.py) byte for byte, confirms
only what the standard way confirms, and leaves every doubtful value (a float, a huge integer) to it."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import orjson
import pytest

from events.envelope import canonical_json, canonical_plain
from services.common.verification import (
    RawRow,
    RowDecoder,
    _entry,
    _fast_hash,
    canonical_stream_id,
    fields_hash,
    stream_key,
)

TEXTS = ["批示件 \"引号\"\n换行\t制表", "反斜杠 \\ 与 / 斜杠", "控制字符 \x00\x01\x1f\x7f", "\u2028\u2029 分隔符",
         "emoji 😀 𠀀", "〔2025〕", "", "<script>&amp;</script>", "\ud7ff\ue000\uffff"]


@pytest.mark.parametrize("text", TEXTS)
def test_orjson_sorted_compact_output_is_the_canonical_encoding(text: str) -> None:
    value = {"title": text, "b": [1, -2, 3_000_000_000, True, False, None, {"z": text, "a": [text]}],
             "a": {"y": text, "x": ""}, "数字": 0, text or "empty": text}
    assert orjson.dumps(value, option=orjson.OPT_SORT_KEYS) == canonical_plain(value) == canonical_json(value)


def stored(fields: dict[str, Any], state: dict[str, Any] | None = None, version: int = 1) -> tuple[RawRow, str]:
    """A stored row of `fields` (typed values as the transcoder writes them in `state`) and its stream id."""
    stream = str(uuid.uuid4())
    body = dict(fields, originator_id=stream, originator_version=version, type="Thing.Happened")
    digest = hashlib.sha256(canonical_plain(body)).hexdigest()
    raw = json.dumps(dict(state or fields, hash=digest), ensure_ascii=False).encode()
    return RawRow(7, stream, version, "services.x.domainmodel:Thing.Happened", raw), stream


def typed(kind: str, data: str) -> dict[str, str]:
    return {"_type_": kind, "_data_": data}


def test_typed_values_at_any_depth_are_made_plain_exactly_as_the_standard_way() -> None:
    at, on, ref = "2025-03-01T02:00:00+00:00", "2025-03-01", uuid.uuid4()
    plain = {"timestamp": at, "done_on": on, "amount": "1.50", "changes": {"received_on": on, "ids": [str(ref)]},
             "items": [{"due_on": on}, [on]], "prev_hash": "0" * 64, "note": '{"_type_":"date_iso"}'}
    state = {"timestamp": typed("datetime_iso", at), "done_on": typed("date_iso", on),
             "amount": typed("decimal_str", "1.50"),
             "changes": {"received_on": typed("date_iso", on), "ids": [typed("uuid_hex", ref.hex)]},
             "items": [{"due_on": typed("date_iso", on)}, [typed("date_iso", on)]], "prev_hash": "0" * 64,
             "note": '{"_type_":"date_iso"}'}
    row, stream = stored(plain, state)
    standard = RowDecoder().fields(row, stream)
    assert fields_hash(dict(standard)) == standard["hash"]
    assert _fast_hash(row.state, stream, 1, "Thing.Happened") == (standard["hash"], "0" * 64)


def test_the_fast_way_never_confirms_an_altered_event_and_leaves_doubts_to_the_standard_way() -> None:
    row, stream = stored({"title": "原文", "prev_hash": "0" * 64})
    assert _fast_hash(row.state, stream, 1, "Thing.Happened") is not None
    altered = row.state.replace("原文".encode(), "改文".encode())
    assert _fast_hash(altered, stream, 1, "Thing.Happened") is None
    assert _fast_hash(row.state, stream, 2, "Thing.Happened") is None  # stored at another version
    assert _fast_hash(b"{not json", stream, 1, "Thing.Happened") is None
    entry = _entry(RowDecoder(), RawRow(7, stream, 1, row.topic, altered), stream)
    assert not entry.ok and entry.fields is not None

    for doubtful in (1e16, 0.1, 2**70):  # orjson writes some of these differently, or not at all
        row, stream = stored({"value": doubtful, "prev_hash": "0" * 64})
        entry = _entry(RowDecoder(), row, stream)
        assert entry.ok, doubtful  # the standard way confirms it


def test_stored_stream_ids_are_made_canonical_without_a_uuid() -> None:
    ref = uuid.uuid4()
    assert canonical_stream_id(ref.hex) == str(ref) == stream_key(ref.hex) == stream_key(str(ref))
    assert canonical_stream_id(ref.hex.upper()) == str(ref)
    assert stream_key("not-a-uuid") == "not-a-uuid"


def load_tool() -> Any:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "tools" / "verify_bundle.py"
    spec = importlib.util.spec_from_file_location("verify_bundle", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13])
def test_each_head_is_proven_against_the_heads_root_by_hashes_only(size: int) -> None:
    from services.common.verification import heads_proofs, heads_root

    tool = load_tool()
    heads = {str(uuid.UUID(int=n * 7919)): [n + 1, hashlib.sha256(str(n).encode()).hexdigest()]
             for n in range(size)}
    root = heads_root(heads)
    proofs = heads_proofs(heads, heads)
    for stream, head in heads.items():
        assert tool.merkle_root(stream, head, proofs[stream]) == root
        assert not any(other in json.dumps(proofs[stream]) for other in heads)
        assert tool.merkle_root(stream, [head[0] + 1, head[1]], proofs[stream]) != root
        if proofs[stream]:
            forged = [list(step) for step in proofs[stream]]
            forged[0][1] = "0" * 64
            assert tool.merkle_root(stream, head, forged) != root
    changed = dict(heads, **{next(iter(heads)): [99, "f" * 64]})
    assert heads_root(changed) != root


def test_the_heads_tree_leaves_are_the_canonical_ones_for_any_signed_value() -> None:
    """orjson writes a leaf where its bytes are the canonical ones; a bool, a huge or textual version, a
    non-string hash go the canonical way: the root is the tree of `_head_leaf` and `_node` either way."""
    from services.common.verification import _head_leaf, _node, heads_root

    heads = {'流"\n': [1, "x\u2028"], "b": [True, "y"], "c": [2**70, "z"], "e": ["4", 5], "f": [7, "😀"],
             "g": [-3, ""], str(uuid.uuid4()): [12, "ab" * 32]}
    level = [_head_leaf(stream, heads[stream]) for stream in sorted(heads)]
    while len(level) > 1:
        paired = [_node(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        level = paired + ([level[-1]] if len(level) % 2 else [])
    assert heads_root(heads) == level[0].hex()
