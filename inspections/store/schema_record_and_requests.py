"""Schema steps 11 and on: the lawful record (plans and their numbers, enforcement IDs, documents as
issued, major hazards' steps, re-check visits) and the request loop's tickets, as data for store.migrations (which runs them in order and records each in
`schema_migrations`). A released step is never edited; a new one goes at the end of the newest module."""
from __future__ import annotations

RECORD_AND_REQUEST_STEPS: list[tuple[int, str, str]] = [
    (11, "the keys of planning forms submitted, so a form sent twice plans one visit", """
CREATE TABLE plan_submissions (
    key VARCHAR PRIMARY KEY,             -- chosen by the planning form, one per form filled in
    inspection_id VARCHAR NOT NULL,      -- the visit the form planned
    submitted_at TIMESTAMPTZ NOT NULL
);
"""),
    (12, "inspectors' enforcement IDs (行政执法证): number, issuing body, valid until", """
ALTER TABLE users ADD COLUMN enforcement_number VARCHAR;      -- NULL: no ID (auxiliary staff, grid workers)
ALTER TABLE users ADD COLUMN enforcement_issuer VARCHAR;
ALTER TABLE users ADD COLUMN enforcement_valid_until DATE;    -- valid on every day up to and including this one
"""),
    (13, "the documents of a visit as issued, and the enterprise representative's statement", """
ALTER TABLE inspections ADD COLUMN enterprise_statement VARCHAR;   -- 陈述、申辩 given at the finish ('' none)
CREATE TABLE documents (
    id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,               -- 'inspection_record' (现场检查记录), 'recheck_opinion' (整改复查意见书)
    inspection_id VARCHAR NOT NULL,
    hazard_id VARCHAR,                   -- the re-checked hazard; NULL for a visit's own document
    issued_at TIMESTAMPTZ NOT NULL,
    issued_by VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,             -- of pdf, as issued
    pdf BLOB NOT NULL                    -- the PDF as issued: later name or catalogue changes never alter it
);
"""),
    (14, "hazards fixed on the spot, major hazards' plans, supervision details and acceptance", """
ALTER TABLE hazards ADD COLUMN fixed_on_spot BOOLEAN NOT NULL DEFAULT false;   -- 立查立改
ALTER TABLE hazards ADD COLUMN plan_on DATE;                 -- the day the 五落实 plan was (last) submitted
ALTER TABLE hazards ADD COLUMN supervising_unit VARCHAR NOT NULL DEFAULT '';   -- 挂牌督办
ALTER TABLE hazards ADD COLUMN supervisor VARCHAR NOT NULL DEFAULT '';
ALTER TABLE hazards ADD COLUMN supervision_deadline DATE;
ALTER TABLE hazards ADD COLUMN accepted_on DATE;             -- 验收 of a submitted major, and by whom
ALTER TABLE hazards ADD COLUMN accepted_by VARCHAR;
CREATE TABLE hazard_plans (              -- every plan submitted, append-only; the latest is the current one
    hazard_id VARCHAR NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL,
    submitted_by VARCHAR NOT NULL,
    responsible VARCHAR NOT NULL,
    measures VARCHAR NOT NULL,
    funds VARCHAR NOT NULL,
    deadline DATE NOT NULL,
    interim_measures VARCHAR NOT NULL
);
CREATE TABLE spot_fixes (                -- 立查立改 recorded on a failed item during the walk, until the finish
    inspection_id VARCHAR NOT NULL,
    item_id VARCHAR NOT NULL,
    what_was_done VARCHAR NOT NULL,
    photo_id VARCHAR NOT NULL,
    recorded_by VARCHAR NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (inspection_id, item_id)
);
"""),
    (15, "a re-check visit names the earlier visit it re-checks", """
ALTER TABLE inspections ADD COLUMN recheck_of VARCHAR;   -- the finished visit whose open hazards it re-checks; NULL: none
"""),
    (16, "plans and their numbers: routine and special visits carry the number of the plan that made them", """
CREATE TABLE inspection_plans (
    number VARCHAR PRIMARY KEY,          -- as printed, e.g. 汽开检计〔2026〕0001号 (inspections/rules/planning.yaml)
    year INTEGER NOT NULL,
    sequence INTEGER NOT NULL,           -- the year's n-th plan
    kind VARCHAR NOT NULL,               -- routine or special
    visits INTEGER NOT NULL,             -- how many visits it planned
    created_at TIMESTAMPTZ NOT NULL,
    created_by VARCHAR NOT NULL,
    UNIQUE (year, sequence)
);
ALTER TABLE inspections ADD COLUMN plan_number VARCHAR;   -- NULL: triggered (complaint, re-check) or planned before
"""),
    (17, "tickets (有求必应: requests, grid reports, 12345 work orders) with their trail; grid workers and "
         "service specialists, and the enterprises assigned to a specialist", """
CREATE TABLE tickets (
    id VARCHAR PRIMARY KEY,              -- the app's own (SQ...), or a 12345 work order's number (工单编号)
    source VARCHAR NOT NULL CHECK (source IN ('portal', 'specialist', 'grid', '12345')),
    requester VARCHAR NOT NULL DEFAULT '',   -- the account that raised it; '' for a work order
    enterprise_code VARCHAR,
    address VARCHAR NOT NULL DEFAULT '',
    category VARCHAR,                    -- inspections/rules/tickets.yaml; NULL until triaged
    content VARCHAR NOT NULL,
    department VARCHAR,
    urgency VARCHAR NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent')),
    received_at TIMESTAMPTZ NOT NULL,
    signed_at TIMESTAMPTZ,
    due_on DATE,                         -- the reply is due on this day (办理时限)
    resolve_by DATE,
    replied_at TIMESTAMPTZ,
    answer VARCHAR NOT NULL DEFAULT '',
    resolved BOOLEAN,
    callback VARCHAR CHECK (callback IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    called_back_at TIMESTAMPTZ,
    closed_at TIMESTAMPTZ,
    status VARCHAR NOT NULL CHECK (status IN ('received', 'triaged', 'assigned', 'signed', 'answered',
                                              'called_back', 'closed')),
    supervised BOOLEAN NOT NULL DEFAULT false,
    inspection_id VARCHAR,               -- the complaint-triggered inspection it started
    merged_into VARCHAR,                 -- the ticket this duplicate was merged into
    photos VARCHAR[] NOT NULL DEFAULT []
);
CREATE SEQUENCE ticket_number START 1;
CREATE TABLE ticket_events (             -- append-only: every change of a ticket (domain.tickets.apply)
    ticket_id VARCHAR NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    from_status VARCHAR,
    to_status VARCHAR,
    note VARCHAR NOT NULL DEFAULT '',
    evidence VARCHAR[] NOT NULL DEFAULT []
);
CREATE TABLE specialist_enterprises (    -- the enterprises a service specialist (服务专员) looks after
    username VARCHAR NOT NULL,
    enterprise_code VARCHAR NOT NULL,
    assigned_at TIMESTAMPTZ NOT NULL,
    assigned_by VARCHAR NOT NULL,
    PRIMARY KEY (username, enterprise_code)
);
-- Two new roles, grid (网格员) and specialist (服务专员): DuckDB cannot change a CHECK constraint, so the
-- users table is built again with the same columns in the same order and the wider role check.
CREATE TABLE users_with_roles (
    username VARCHAR PRIMARY KEY,
    display_name VARCHAR NOT NULL,
    password_hash VARCHAR NOT NULL,
    role VARCHAR NOT NULL CHECK (role IN ('inspector', 'enterprise', 'office', 'grid', 'specialist')),
    department VARCHAR,
    enterprise_code VARCHAR,
    active BOOLEAN NOT NULL DEFAULT true,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    session_version INTEGER NOT NULL DEFAULT 1,
    enforcement_number VARCHAR,
    enforcement_issuer VARCHAR,
    enforcement_valid_until DATE,
    CHECK ((role = 'inspector') = (department IS NOT NULL)),
    CHECK ((role = 'enterprise') = (enterprise_code IS NOT NULL))
);
INSERT INTO users_with_roles SELECT username, display_name, password_hash, role, department, enterprise_code,
    active, failed_attempts, locked_until, created_at, session_version, enforcement_number, enforcement_issuer,
    enforcement_valid_until FROM users;
DROP TABLE users;
ALTER TABLE users_with_roles RENAME TO users;
"""),
]
