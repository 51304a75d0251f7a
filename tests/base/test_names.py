"""planner.base.names: a curve-table name is built from a network and a handle and taken apart again."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from planner.base.names import (
    creator_name,
    creator_names,
    handle_of,
    is_creator,
    network_of,
    networks_of,
)


def test_paid_media_is_named_after_its_network_and_a_creator_network_slash_handle():
    assert creator_name("TikTok", "@lena.bakes") == "TikTok/@lena.bakes"
    assert creator_name("Instagram", "") == "Instagram"
    assert creator_name("", "@lena") == "@lena"
    assert network_of("TikTok/@lena.bakes") == "TikTok" and handle_of("TikTok/@lena.bakes") == "@lena.bakes"
    assert network_of("Instagram") == "Instagram" and handle_of("Instagram") == ""
    assert is_creator(["Instagram", "TikTok/@lena"]).tolist() == [False, True]
    names = creator_names(pd.Series(["TikTok", "X"]), pd.Series(["@a", "@b"]))
    assert names.tolist() == ["TikTok/@a", "X/@b"]
    assert networks_of(names).tolist() == ["TikTok", "X"]


_text = st.text(alphabet=st.characters(blacklist_characters="/", blacklist_categories=("Cs",)), min_size=1)


@given(_text, _text)
def test_a_name_comes_apart_into_what_built_it(network, handle):
    name = creator_name(network, "@" + handle)
    assert network_of(name) == network and handle_of(name) == "@" + handle and bool(is_creator([name])[0])
    assert networks_of([name, network]).tolist() == [network, network]
