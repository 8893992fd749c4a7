"""Demo data: about 60 fictional enterprises across all scenarios, demo accounts for each role, and 12
months of joint inspections and hazards with realistic closure behaviour (most closed on time, some
late, some overdue, a few major, some supervised), plus upcoming visits from today on. The same world whatever day it is seeded (the random numbers
come from the seed file's `random_seed`, never from the date): the same enterprises, accounts, codes and
names; only the dates move with the clock's today. Every demo inspector holds an enforcement ID valid
from today on, and every visit's team has the officers a visit needs (two by default). The demo obeys the yearly caps the app enforces
(domain.planning.cap_check with the caps planning uses), whatever day it is seeded: a visit is added only
if it fits the cap counting every visit of the enterprise within 365 days of it, so that no calendar year
can hold more, wherever the year's end falls. The visits the demo must have (today's, and those of the
enterprise accounts) are planned first, within the caps or of an exempt kind; the history adds only the
visits that fit. Every hazard change goes through the lifecycle, so
the audit trail is complete. The database is marked as a demo: every page shows a 演示数据 banner, and the
app refuses to serve it on a non-loopback address unless INSPECTIONS_DEMO=1. Only `init --demo` (which
scripts/run.sh calls on a fresh clone) seeds; the app never does."""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from inspections.readers import strict_yaml

from inspections.domain.visits import Result, VisitKind, VisitStatus, hazard_sector
from inspections import config
from inspections.domain import credit_code
from inspections.domain.enterprises import Enterprise
from inspections.domain.hazards import Hazard, HazardEvent, Level, apply, default_deadline
from inspections.domain.merge import MergedList, merge
from inspections.domain.recheck_visits import recheck_list, still_open
from inspections.store import deployment as deployment_store
from inspections.store import enterprises as enterprise_store
from inspections.store import hazards as hazard_store
from inspections.store import inspections as inspection_store
from inspections.store import users as user_store
from inspections.domain.planning import cap_check
from inspections.services.office import planning, recheck_plans
from inspections.services.office.accounts import hash_password, user_record
from inspections.services.shared import enforcement
from inspections.services.shared.context import Context

SEED_FILE = config.REPO_ROOT / "data" / "seed" / "demo.yaml"
DEMO_KEY = "demo"


def is_demo(ctx: Context) -> bool:
    """Whether the demo seeder made this database: its accounts' password is published in the README."""
    return deployment_store.get(ctx.db, DEMO_KEY) == "true"


def is_seeded(ctx: Context) -> bool:
    return enterprise_store.count(ctx.db) > 0 or user_store.count(ctx.db) > 0


def seed(ctx: Context, today: dt.date | None = None, seed_file: Path = SEED_FILE) -> dict[str, int]:
    """Seed the demo data into an empty database; refuses a database that already holds data."""
    if is_seeded(ctx):
        raise RuntimeError("the database already holds enterprises or accounts; demo data goes only "
                           "into an empty database")
    plan = _Plan(ctx, strict_yaml.load(seed_file.read_text(encoding="utf-8")), today or ctx.clock.today())
    plan.build()
    ctx.db.write(plan.save)
    return {"enterprises": len(plan.enterprises), "users": len(plan.users),
            "inspections": len(plan.inspections), "answers": len(plan.answers),
            "hazards": len(plan.hazards), "events": len(plan.events)}


class _Plan:
    def __init__(self, ctx: Context, seed: dict, today: dt.date):
        self.ctx, self.seed, self.today = ctx, seed, today
        self.rng = random.Random(seed["random_seed"])
        self.at = ctx.clock.at  # a wall-clock time on a district day
        self.enterprises: list[Enterprise] = []
        self.users: list[dict] = []
        self.inspections: list[dict] = []
        self.answers: list[dict] = []
        self.hazards: list[Hazard] = []
        self.events: list[HazardEvent] = []
        self.evaluations: list[dict] = []
        self.inspectors: dict[str, list[str]] = {}
        self.caps = planning.caps(ctx)

    def build(self) -> None:
        self._enterprises()
        self._users()
        self._upcoming()
        self._for_enterprise_accounts()
        for enterprise in self.enterprises:
            self._history(enterprise)

    def save(self, cursor) -> None:
        now = self.ctx.clock.instant()
        deployment_store.mark(cursor, DEMO_KEY, "true")   # banner on every page; refused on a public address
        enterprise_store.upsert(cursor, self.enterprises, now)
        for user in self.users:
            user_store.insert(cursor, user, now)
        self._plans(cursor)
        inspection_store.insert_inspections(cursor, self.inspections, now)
        inspection_store.insert_answers(cursor, self.answers)
        hazard_store.insert_hazards(cursor, self.hazards)
        hazard_store.insert_events(cursor, self.events)
        inspection_store.insert_evaluations(cursor, self.evaluations)

    # -- enterprises and accounts ---------------------------------------------------------------
    def _enterprises(self) -> None:
        places, rng = list(self.seed["places"]), self.rng
        for scenario in self.ctx.catalogue.scenarios:
            patterns = self.seed["scenario_names"][scenario.id]
            for n in range(self.seed["enterprises_per_scenario"]):
                place = places[(n * 3 + len(self.enterprises)) % len(places)]
                name = "（演示）" + patterns[n % len(patterns)].format(place=place)
                body = "91" + self.seed["area_code"] + "".join(rng.choice("0123456789ABCDEFGH") for _ in range(9))
                self.enterprises.append(Enterprise(
                    code=credit_code.complete(body), name=name, sectors=list(scenario.sectors),
                    scenario=scenario.id, address=f"长春汽车经济技术开发区{rng.choice(self.seed['streets'])}{rng.randint(1, 3999)}号",
                    contact=self._person(), phone=f"0431-8{rng.randint(1000000, 9999999)}",
                    tier=rng.choices("ABCD", weights=[2, 5, 3, 1])[0]))

    def _person(self) -> str:
        return self.rng.choice(self.seed["surnames"]) + self.rng.choice(self.seed["given_names"])

    def _users(self) -> None:
        password = hash_password(self.seed["password"])  # one hash serves every demo account
        for office in self.seed["office_users"]:
            self.users.append(user_record(office["username"], office["display_name"], password, "office"))
        for department in self.ctx.catalogue.departments:
            for n in range(1, self.seed["inspectors_per_department"] + 1):
                username = f"{department.id}{n}"
                self.inspectors.setdefault(department.id, []).append(username)
                self.users.append({**user_record(username, f"{department.title.zh}·{self._person()}", password,
                                                 "inspector", department=department.id),
                                   **self._enforcement_id(len(self.users))})
        first_of_scenario = {}
        for enterprise in self.enterprises:
            first_of_scenario.setdefault(enterprise.scenario, enterprise)
        for n, enterprise in enumerate(first_of_scenario.values(), start=1):
            self.users.append(user_record(f"ent{n:02d}", f"{enterprise.name}·安全管理员", password,
                                          "enterprise", enterprise_code=enterprise.code))

    def _enforcement_id(self, number: int) -> dict:
        """A demo inspector's enforcement ID, valid for the seed's days from the seeding day; the same numbers any day."""
        ids = self.seed["enforcement_ids"]
        return {"enforcement_number": f"{ids['number_prefix']}{number:05d}", "enforcement_issuer": ids["issuer"],
                "enforcement_valid_until": self.today + dt.timedelta(days=ids["valid_days"])}

    def _team(self, departments: list[str], turn: int) -> list[str]:
        """One inspector of each department (the `turn`-th in turn), then the departments' others until the
        team has the officers a visit needs (services.shared.enforcement.min_officers)."""
        team = [self.inspectors[d][turn % len(self.inspectors[d])] for d in departments]
        others = [u for d in departments for u in self.inspectors[d] if u not in team]
        return team + others[:max(0, enforcement.min_officers() - len(team))]

    # -- inspections and hazards -----------------------------------------------------------------
    def _fits(self, enterprise: Enterprise, day: dt.date, kind: str = VisitKind.ROUTINE) -> bool:
        """Whether one more visit of `kind` on `day` stays within the enterprise's cap in any calendar year
        that holds `day`: every such year lies within 365 days of it, so the visits that close count (a
        decision on offsets from today alone: the same world on any day)."""
        close = [(i["kind"], i["status"]) for i in self.inspections
                 if i["enterprise_code"] == enterprise.code and abs((i["scheduled_on"] - day).days) <= 365]
        return cap_check(enterprise.tier, close, kind, self.caps).allowed

    def _plans(self, cursor) -> None:
        """The demo's routine and special visits, as the office would have planned them: one plan a month
        for each kind, numbered in date order (services.office.plan_numbers)."""
        from inspections.services.office import plan_numbers
        from inspections.services.shared.auth import User
        office = User("office", "安委办", "office")
        months: dict[tuple, list[dict]] = {}
        for record in self.inspections:
            months.setdefault((record["scheduled_on"].year, record["scheduled_on"].month, record["kind"]), []).append(record)
        for key in sorted(months):
            plan_numbers.number_visits(self.ctx, office, cursor, months[key])

    def _inspection(self, enterprise: Enterprise, day: dt.date, status: str, kind: str = VisitKind.ROUTINE,
                    departments: list[str] | None = None, reason: str = "", first_team: bool = False) -> dict:
        merged = merge(self.ctx.catalogue, enterprise.sectors, departments, scenario=enterprise.scenario)
        departments = merged.departments
        number = len(self.inspections) + 1
        record = {
            "id": f"JC{day:%Y%m%d}-{number:04d}", "enterprise_code": enterprise.code, "scheduled_on": day,
            "lead_department": departments[0], "departments": departments,
            "team": self._team(departments, 0 if first_team else number % 2), "kind": kind,
            "reason": reason or ("群众投诉（演示）" if kind == VisitKind.COMPLAINT else ""), "status": status,
            "checklist_version": self.ctx.catalogue.version, "merged_list_json": merged.model_dump_json(),
            "created_by": "office", "cap_override_reason": "",
        }
        self.inspections.append(record)
        return record

    def _history(self, enterprise: Enterprise) -> None:
        visits = self.seed["history_visits_per_tier"][enterprise.tier]
        for _ in range(visits):
            day = self.today - dt.timedelta(days=self.rng.randint(7, 360))
            kind = VisitKind.COMPLAINT if self.rng.random() < 0.08 else VisitKind.ROUTINE
            if self.rng.random() < 0.05:
                self._inspection(enterprise, day, VisitStatus.CANCELLED, kind)
                continue
            if not self._fits(enterprise, day, kind):   # that year's cap is taken: this visit never happened
                continue
            alone = None
            if self.rng.random() < 0.2:  # before the reform took hold, one department in five still came alone
                full = merge(self.ctx.catalogue, enterprise.sectors, scenario=enterprise.scenario).departments
                alone = [self.rng.choice(full)]
            inspection = self._inspection(enterprise, day, VisitStatus.COMPLETED, kind, departments=alone)
            at = self.at(day, dt.time(9, 0)) + dt.timedelta(minutes=self.rng.randint(0, 90))
            inspection.update(checked_in_at=at, checkin_method="qr_link", checked_in_by=inspection["team"][0],
                              completed_at=at + dt.timedelta(hours=2))
            self._answers(enterprise, inspection, at)
            if self.rng.random() < 0.6:
                self.evaluations.append({"inspection_id": inspection["id"], "rating": self.rng.choice([3, 4, 4, 5, 5]),
                                         "comment": self.rng.choice(["", "检查规范，一次查完", "提前告知清楚"]),
                                         "rated_by": "demo", "rated_at": at + dt.timedelta(days=1)})

    def _answers(self, enterprise: Enterprise, inspection: dict, at: dt.datetime, failing: int = 0,
                 leave_open: bool = False) -> None:
        merged = merge(self.ctx.catalogue, enterprise.sectors, inspection["departments"], enterprise.scenario)
        for position, item in enumerate(merged.items):
            roll = self.rng.random()
            result = Result.FAIL if roll < 0.07 or position < failing else Result.NOT_APPLICABLE if roll < 0.12 \
                else Result.PASS
            answered_at = at + dt.timedelta(minutes=position)
            answer = {"inspection_id": inspection["id"], "item_id": item.id, "result": result, "note": "",
                      "photos": [], "answered_by": inspection["team"][0], "answered_at": answered_at,
                      "self_check": False}
            if result == Result.FAIL:
                level = Level.MAJOR if item.major_if and (self.rng.random() < 0.25 or leave_open) else Level.GENERAL
                answer.update(level=level.value, deadline=default_deadline(level, at.date()),
                              note=self.seed["failure_note"] + item.title.zh)
                self._hazard(enterprise, inspection, item.id, item.departments[0],
                             hazard_sector(item.section, enterprise.sectors), level,
                             answer["note"], answered_at, leave_open)
            self.answers.append(answer)

    def _hazard(self, enterprise, inspection, item_id, department, sector, level, description, at,
                leave_open: bool = False) -> None:
        rng, actor = self.rng, inspection["team"][0]
        found = at.date()
        new = Hazard(id=f"YH{found:%Y%m}-{len(self.hazards) + 1:05d}", enterprise_code=enterprise.code,
                     sector=sector, department=department, level=level, description=description,
                     found_on=found, deadline=default_deadline(level, found), inspection_id=inspection["id"],
                     item_id=item_id, supervised=level == Level.MAJOR and rng.random() < 0.5)
        if new.supervised:   # 挂牌督办 by the district's office, until the hazard's own deadline
            new = new.model_copy(update={"supervising_unit": self.seed["supervising_unit"],
                                         "supervisor": self.seed["office_users"][0]["display_name"],
                                         "supervision_deadline": new.deadline})
        hazard, event = apply(None, "raise", actor=actor, at=at, new=new)
        trail = [event]
        span = (hazard.deadline - found).days
        fate = rng.random()
        # most enterprises acknowledge the notice within days; some never do (it stays open)
        steps: list[tuple[str, int, str]] = [("start", rng.randint(1, 3), "")] if rng.random() < 0.9 else []
        if fate < 0.80:        # closed on time
            done = rng.randint(5, span)
            steps += [("submit", done - 2, "已整改，附整改照片"), ("close", done, "复查合格，予以销号")]
        elif fate < 0.88:      # closed late
            done = span + rng.randint(3, 30)
            steps += [("submit", done - 5, "已整改"), ("close", done, "逾期完成整改，复查合格")]
        elif fate < 0.92:      # rejected once, then submitted again and waiting
            steps += [("submit", span // 2, "已整改"), ("reject", span // 2 + 2, "整改不到位，请补充证明材料"),
                      ("submit", span // 2 + 6, "已补充整改材料")]
        elif fate < 0.96:      # submitted, waiting for the re-check
            steps += [("submit", rng.randint(3, span), "已整改，申请复查")]
        if level == Level.MAJOR:  # a major is accepted on site by the officers, then closed by the office
            steps = [step for action, offset, note in steps
                     for step in ([("accept", offset, "现场验收合格"), (action, offset, note)] if action == "close"
                                  else [(action, offset, note)])]
        for step, (action, offset, note) in enumerate([] if leave_open else steps):
            when = self.at(found + dt.timedelta(days=offset), dt.time(12 + step, 30))
            if when.date() >= self.today:
                break
            who = (self.seed["office_users"][0]["username"] if action == "close" and level == Level.MAJOR
                   else actor if action in ("close", "reject", "accept") else f"{enterprise.name}·安全管理员")
            hazard, event = apply(hazard, action, actor=who, at=when, note=note)
            trail.append(event)
        self.hazards.append(hazard)
        self.events.extend(trail)

    def _for_enterprise_accounts(self) -> None:
        """Each demo enterprise account gets something to do: a visit 12 days ago whose findings are
        still open (the first two items failed), and, unless it is visited today, a visit within the week.
        Where the cap is taken, the visit 12 days ago followed a complaint or the coming one re-checks
        its findings (exempt from the cap; its list: the findings still open): a tier-A account (cap 1) is
        re-checked so whatever day the demo is seeded, and a new user finds a re-check visit."""
        accounts = {u["enterprise_code"] for u in self.users if u["role"] == "enterprise"}
        visited_today = {i["enterprise_code"] for i in self.inspections if i["scheduled_on"] == self.today}
        for enterprise in [e for e in self.enterprises if e.code in accounts]:
            day = self.today - dt.timedelta(days=12)
            kind = VisitKind.ROUTINE if self._fits(enterprise, day) else VisitKind.COMPLAINT
            inspection = self._inspection(enterprise, day, VisitStatus.COMPLETED, kind, first_team=True)
            at = self.at(day, dt.time(9, 30))
            inspection.update(checked_in_at=at, checkin_method="qr_link", checked_in_by=inspection["team"][0],
                              completed_at=at + dt.timedelta(hours=2))
            self._answers(enterprise, inspection, at, failing=2, leave_open=True)
            if enterprise.code not in visited_today:
                coming = self.today + dt.timedelta(days=self.rng.randint(3, 7))
                if self._fits(enterprise, coming):
                    self._inspection(enterprise, coming, VisitStatus.SCHEDULED, first_team=True)
                else:
                    self._recheck(enterprise, inspection, coming)

    def _recheck(self, enterprise: Enterprise, earlier: dict, day: dt.date) -> dict:
        """A re-check of `earlier` on `day`, as the office plans one (services.office.recheck_plans): its
        still-open items only, as the earlier list worded them; the departments of their hazards."""
        hazards = still_open(h for h in self.hazards if h.inspection_id == earlier["id"])
        merged = recheck_list(MergedList.model_validate_json(earlier["merged_list_json"]), hazards,
                              self.ctx.catalogue.department_ids)
        record = self._inspection(enterprise, day, VisitStatus.SCHEDULED, VisitKind.RECHECK,
                                  reason=recheck_plans.default_reason(earlier), first_team=True)
        record.update(departments=merged.departments, lead_department=merged.departments[0],
                      team=self._team(merged.departments, 0), merged_list_json=merged.model_dump_json(),
                      recheck_of=earlier["id"])
        return record

    def _upcoming(self) -> None:
        """Visits from today on, so check-in can be tried at once with the `…1` inspectors: a full joint
        visit to an auto-parts plant and a small traffic-police special check of a transport company;
        more in the weeks ahead, each within its enterprise's cap."""
        by_scenario = {e.scenario: e for e in reversed(self.enterprises)}
        self._inspection(by_scenario["auto_parts_plant"], self.today, VisitStatus.SCHEDULED, first_team=True)
        self._inspection(by_scenario["transport_company"], self.today, VisitStatus.SCHEDULED,
                         kind=VisitKind.SPECIAL,
                         departments=["traffic_police"], reason="道路交通安全专项检查（演示）", first_team=True)
        for enterprise in self.rng.sample(self.enterprises, 12):
            day = self.today + dt.timedelta(days=self.rng.randint(1, 30))
            if self._fits(enterprise, day):
                self._inspection(enterprise, day, VisitStatus.SCHEDULED)
