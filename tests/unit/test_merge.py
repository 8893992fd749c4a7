"""The merge on a small hand-made catalogue, every expectation checked by hand."""
import pytest

from inspections.domain.catalogue import Area, Catalogue, Department, Item, Scenario, Sector, Task, Text
from inspections.domain.merge import MergeError, default_departments, merge


def _t(s):
    return Text(zh=s, en=s)


def _item(id, deps, sectors, shared=False, task="A0-01"):
    return Item(id=id, title=_t(id), basis="b", departments=deps, task=task, sectors=sectors, shared=shared)


@pytest.fixture
def tiny():
    return Catalogue(
        version="t", areas=[Area(id="A0", title=_t("a"), tasks=[Task(id="A0-01", title=_t("t"))])],
        departments=[Department(id=d, title=_t(d)) for d in ("emergency", "market", "fire_rescue")],
        sectors=[Sector(id=s, title=_t(s)) for s in ("food_drugs", "fire", "hazchem")],
        scenarios=[Scenario(id="restaurant", title=_t("r"), sectors=["food_drugs", "fire"])],
        items=[
            _item("S01", ["emergency", "market", "fire_rescue"], ["*"], shared=True),
            _item("S02", ["emergency", "fire_rescue"], ["hazchem", "fire"], shared=True),
            _item("S03", ["emergency", "market"], ["hazchem"], shared=True),
            _item("FD-01", ["market"], ["food_drugs"]),
            _item("FR-01", ["fire_rescue"], ["fire"]),
            _item("FR-02", ["fire_rescue", "market"], ["fire", "food_drugs"]),
            _item("HC-01", ["emergency"], ["hazchem"]),
        ])


def test_restaurant_default_departments(tiny):
    merged = merge(tiny, ["food_drugs", "fire"])
    # non-shared items of food_drugs/fire are checked by market and fire_rescue; emergency takes no part
    assert merged.departments == ["market", "fire_rescue"]
    # S01 applies everywhere; S02 applies to fire; S03 is hazchem only. FR-02 appears once, under food_drugs
    assert [i.id for i in merged.items] == ["S01", "S02", "FD-01", "FR-02", "FR-01"]
    assert [i.section for i in merged.items] == ["shared", "shared", "food_drugs", "food_drugs", "fire"]
    by_id = {i.id: i for i in merged.items}
    assert by_id["S01"].departments == ["market", "fire_rescue"]  # emergency is not participating
    assert by_id["S02"].departments == ["fire_rescue"]


def test_departments_narrow_the_list(tiny):
    merged = merge(tiny, ["food_drugs", "fire"], ["market"])
    assert merged.departments == ["market"]
    assert [i.id for i in merged.items] == ["S01", "FD-01", "FR-02"]
    assert all(i.departments == ["market"] for i in merged.items)
    assert merged.count_by_department() == {"market": 3}


def test_scenario_adds_its_sectors_and_names_resolve(tiny):
    merged = merge(tiny, ["hazchem"], scenario="restaurant")
    assert merged.sectors == ["food_drugs", "fire", "hazchem"]
    assert merged.departments == ["emergency", "market", "fire_rescue"]
    assert [i.id for i in merged.items] == ["S01", "S02", "S03", "FD-01", "FR-02", "FR-01", "HC-01"]


def test_each_item_exactly_once(tiny):
    merged = merge(tiny, ["fire", "food_drugs", "hazchem"])
    ids = [i.id for i in merged.items]
    assert len(ids) == len(set(ids)) == 7


def test_contract_json_shape(tiny):
    shape = merge(tiny, ["fire"]).contract_json()
    assert set(shape) == {"sectors", "departments", "items"}
    assert set(shape["items"][0]) == {"id", "title", "departments", "task", "shared"}
    assert shape["items"][0]["title"] == {"zh": "S01", "en": "S01"}


def test_unknown_names_are_refused(tiny):
    from inspections.messages import english
    with pytest.raises(MergeError, match="merge_unknown_sector") as sector:
        merge(tiny, ["roads"])
    assert english(sector.value).startswith("unknown sector 'roads' (known: ")
    with pytest.raises(MergeError, match="merge_unknown_department") as department:
        merge(tiny, ["fire"], ["police"])
    assert english(department.value).startswith("unknown department 'police' (known: ")
    with pytest.raises(MergeError, match="merge_no_sector"):
        merge(tiny, [])


def test_default_departments_ignore_shared_items(tiny):
    assert default_departments(tiny, ["hazchem"]) == ["emergency"]


def test_scenario_leaves_out_items_for_other_kinds_of_business(tiny):
    only_pharmacy = tiny.model_copy(update={"items": tiny.items + [
        Item(id="FD-02", title=_t("rx"), basis="b", departments=["market"], task="A0-01",
             sectors=["food_drugs"], scenarios=["pharmacy"])]})
    assert "FD-02" in [i.id for i in merge(only_pharmacy, ["food_drugs"]).items]  # no scenario: sector rule
    assert "FD-02" not in [i.id for i in merge(only_pharmacy, [], scenario="restaurant").items]


def test_real_catalogue_restaurant(catalogue):
    merged = merge(catalogue, [], scenario="restaurant")
    ids = [i.id for i in merged.items]
    assert len(ids) == len(set(ids))
    shared_count = sum(i.shared for i in merged.items)
    assert all(i.shared for i in merged.items[:shared_count])
    assert set(merged.sectors) == set(catalogue.scenario("restaurant").sectors)
    assert "FD-01" in ids and "FD-11" not in ids  # food service yes, pharmacy no
