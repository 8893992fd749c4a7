"""What the issue asks of the catalogue's content."""
from collections import Counter

SECTORS = ["roads", "construction", "food_drugs", "fire", "hazchem", "industry_trade", "special_equipment", "gas"]
DEPARTMENTS = ["emergency", "market", "housing", "transport", "fire_rescue", "traffic_police"]
SCENARIOS = {"restaurant", "pharmacy", "car_dealership", "auto_parts_plant", "construction_site",
             "transport_company", "petrol_station", "supermarket"}


def test_areas_and_tasks(catalogue):
    assert [a.id for a in catalogue.areas] == [f"A{n}" for n in range(9)]
    assert [len(a.tasks) for a in catalogue.areas] == [6, 5, 5, 7, 6, 6, 7, 6, 5]
    assert len(catalogue.tasks) == 53 and "A0-01" in catalogue.tasks and "A8-05" in catalogue.tasks
    assert all(t.source == "representative" for t in catalogue.tasks.values())


def test_shared_items(catalogue):
    shared = [i for i in catalogue.items if i.shared]
    assert len(shared) >= 15
    assert all(len(set(i.departments)) >= 2 for i in shared)


def test_sectors_departments_scenarios(catalogue):
    assert catalogue.sector_ids == SECTORS
    assert catalogue.department_ids == DEPARTMENTS
    assert {s.id for s in catalogue.scenarios} >= SCENARIOS
    own = Counter(s for i in catalogue.items if not i.shared for s in i.sectors)
    assert all(own[s] >= 12 for s in SECTORS), own
    for item in catalogue.items:
        assert item.basis and item.title.zh and item.title.en
    for sector in catalogue.sectors:
        if sector.major_standard is not None:
            assert any(i.major_if for i in catalogue.items if sector.id in i.sectors and not i.shared), sector.id
    assert catalogue.sector("food_drugs").major_standard is None


def test_every_task_served(catalogue):
    assert {t for t in catalogue.tasks} == {i.task for i in catalogue.items}


def test_chinese_names_resolve(catalogue):
    assert catalogue.resolve_sector("道路交通") == "roads"
    assert catalogue.resolve_department("应急管理局") == "emergency"
    assert catalogue.resolve_department("消防救援大队") == "fire_rescue"
    assert catalogue.resolve_scenario("餐饮店") == "restaurant"
