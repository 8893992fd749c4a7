"""Versioned schema migrations. Each step runs once, in order, inside the opening transaction; the
`schema_migrations` table records which have run. Add a step at the end; never edit a released one."""
from __future__ import annotations

import datetime as dt

import duckdb

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "initial schema", """
CREATE TABLE departments (
    id VARCHAR PRIMARY KEY,
    title_zh VARCHAR NOT NULL,
    title_en VARCHAR NOT NULL
);
CREATE TABLE enterprises (
    code VARCHAR PRIMARY KEY,            -- 统一社会信用代码, GB 32100-2015 checked before insert
    name VARCHAR NOT NULL,
    sectors VARCHAR[] NOT NULL,
    scenario VARCHAR,
    address VARCHAR NOT NULL DEFAULT '',
    contact VARCHAR NOT NULL DEFAULT '',
    phone VARCHAR NOT NULL DEFAULT '',
    tier VARCHAR NOT NULL DEFAULT 'B' CHECK (tier IN ('A', 'B', 'C', 'D')),
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE TABLE users (
    username VARCHAR PRIMARY KEY,
    display_name VARCHAR NOT NULL,
    password_hash VARCHAR NOT NULL,
    role VARCHAR NOT NULL CHECK (role IN ('inspector', 'enterprise', 'office')),
    department VARCHAR,
    enterprise_code VARCHAR,
    active BOOLEAN NOT NULL DEFAULT true,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    CHECK ((role = 'inspector') = (department IS NOT NULL)),
    CHECK ((role = 'enterprise') = (enterprise_code IS NOT NULL))
);
CREATE TABLE checklist_versions (
    version VARCHAR PRIMARY KEY,         -- hash of the catalogue files a merged list was built from
    catalogue_json VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE SEQUENCE inspection_number START 1;
CREATE TABLE inspections (
    id VARCHAR PRIMARY KEY,
    enterprise_code VARCHAR NOT NULL,
    scheduled_on DATE NOT NULL,
    lead_department VARCHAR NOT NULL,
    departments VARCHAR[] NOT NULL,
    team VARCHAR[] NOT NULL,             -- usernames of the inspectors
    kind VARCHAR NOT NULL CHECK (kind IN ('routine', 'complaint', 'recheck', 'special')),
    reason VARCHAR NOT NULL DEFAULT '',
    cap_override_reason VARCHAR NOT NULL DEFAULT '',
    status VARCHAR NOT NULL CHECK (status IN ('scheduled', 'in_progress', 'completed', 'cancelled')),
    checklist_version VARCHAR NOT NULL,
    merged_list_json VARCHAR NOT NULL,   -- the merged list as planned; never changes afterwards
    checked_in_at TIMESTAMP,
    checkin_method VARCHAR,
    checked_in_by VARCHAR,
    inspector_signature VARCHAR,
    enterprise_signature VARCHAR,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    completed_at TIMESTAMP
);
CREATE TABLE inspection_items (
    inspection_id VARCHAR NOT NULL,
    item_id VARCHAR NOT NULL,
    result VARCHAR NOT NULL CHECK (result IN ('pass', 'fail', 'not_applicable')),
    note VARCHAR NOT NULL DEFAULT '',
    level VARCHAR CHECK (level IN ('general', 'major')),
    deadline DATE,
    photos VARCHAR[] NOT NULL DEFAULT [],
    answered_by VARCHAR NOT NULL,
    answered_at TIMESTAMP NOT NULL,
    self_check BOOLEAN NOT NULL DEFAULT false, -- answered by the enterprise before the visit
    PRIMARY KEY (inspection_id, item_id, self_check)
);
CREATE SEQUENCE hazard_number START 1;
CREATE TABLE hazards (
    id VARCHAR PRIMARY KEY,
    inspection_id VARCHAR,
    item_id VARCHAR,
    enterprise_code VARCHAR NOT NULL,
    sector VARCHAR NOT NULL,
    department VARCHAR NOT NULL,
    level VARCHAR NOT NULL CHECK (level IN ('general', 'major')),
    description VARCHAR NOT NULL,
    found_on DATE NOT NULL,
    deadline DATE NOT NULL,
    rectified_on DATE,
    closed_on DATE,
    status VARCHAR NOT NULL CHECK (status IN ('open', 'rectifying', 'submitted', 'closed')),
    supervised BOOLEAN NOT NULL DEFAULT false,
    source VARCHAR NOT NULL CHECK (source IN ('inspection', 'self_check', 'import')),
    CHECK (deadline >= found_on),
    CHECK (rectified_on IS NULL OR rectified_on >= found_on),
    CHECK (closed_on IS NULL OR closed_on >= found_on)
);
CREATE TABLE hazard_events (
    hazard_id VARCHAR NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    from_status VARCHAR,
    to_status VARCHAR,
    note VARCHAR NOT NULL DEFAULT '',
    evidence VARCHAR[] NOT NULL DEFAULT []
);
CREATE TABLE evaluations (
    inspection_id VARCHAR PRIMARY KEY,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment VARCHAR NOT NULL DEFAULT '',
    rated_by VARCHAR NOT NULL,
    rated_at TIMESTAMP NOT NULL
);
"""),
    (2, "photos with their owners, for access checks and evidence", """
CREATE TABLE photos (
    id VARCHAR PRIMARY KEY,              -- random, unguessable
    enterprise_code VARCHAR NOT NULL,    -- whose premises it shows: the isolation key
    inspection_id VARCHAR,
    hazard_id VARCHAR,
    purpose VARCHAR NOT NULL CHECK (purpose IN ('finding', 'evidence', 'self_check', 'signature')),
    path VARCHAR NOT NULL,               -- relative to the photo folder
    bytes INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    uploaded_by VARCHAR NOT NULL,
    uploaded_at TIMESTAMP NOT NULL
);
"""),
    (3, "deadline extension requests for major hazards", """
CREATE TABLE extension_requests (
    id VARCHAR PRIMARY KEY,
    hazard_id VARCHAR NOT NULL,
    enterprise_code VARCHAR NOT NULL,
    requested_by VARCHAR NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    current_deadline DATE NOT NULL,
    requested_deadline DATE NOT NULL,
    reason VARCHAR NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by VARCHAR,
    decided_at TIMESTAMP,
    decided_deadline DATE,
    decision_note VARCHAR NOT NULL DEFAULT '',
    CHECK (requested_deadline > current_deadline)
);
"""),
    (4, "yearly inspection caps by tier, and why inspections were cancelled", """
CREATE TABLE inspection_caps (
    tier VARCHAR PRIMARY KEY CHECK (tier IN ('A', 'B', 'C', 'D')),
    cap INTEGER NOT NULL CHECK (cap >= 0), -- routine inspections per enterprise per calendar year
    updated_by VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE TABLE inspection_cancellations (
    inspection_id VARCHAR PRIMARY KEY,
    reason VARCHAR NOT NULL,             -- 'merged_into' (see merged_into) or the office's own words
    merged_into VARCHAR,                 -- the inspection this one was merged into, if any
    cancelled_by VARCHAR NOT NULL,
    cancelled_at TIMESTAMP NOT NULL
);
"""),
    (5, "timestamps as instants (TIMESTAMPTZ), written only from the context's clock", """
-- Times were naive wall-clock values; they become instants. Existing values are read as district time
-- (the connection's TimeZone is the district's while this runs). The database's own clock is never
-- used again: the defaults that read it are dropped, and every write passes its time.
ALTER TABLE enterprises ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE enterprises ALTER COLUMN created_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE enterprises ALTER COLUMN updated_at DROP DEFAULT;
ALTER TABLE enterprises ALTER COLUMN updated_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE users ALTER COLUMN locked_until SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE users ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE users ALTER COLUMN created_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE checklist_versions ALTER COLUMN recorded_at DROP DEFAULT;
ALTER TABLE checklist_versions ALTER COLUMN recorded_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE inspections ALTER COLUMN checked_in_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE inspections ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE inspections ALTER COLUMN created_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE inspections ALTER COLUMN completed_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE inspection_items ALTER COLUMN answered_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE hazard_events ALTER COLUMN occurred_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE evaluations ALTER COLUMN rated_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE photos ALTER COLUMN uploaded_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE extension_requests ALTER COLUMN requested_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE extension_requests ALTER COLUMN decided_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE inspection_caps ALTER COLUMN updated_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE inspection_cancellations ALTER COLUMN cancelled_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE schema_migrations ALTER COLUMN applied_at DROP DEFAULT;
ALTER TABLE schema_migrations ALTER COLUMN applied_at SET DATA TYPE TIMESTAMPTZ;
"""),
    (6, "who signed a finished visit, for the notice", """
ALTER TABLE inspections ADD COLUMN completed_by VARCHAR;       -- the inspector who signed and finished
ALTER TABLE inspections ADD COLUMN enterprise_signer VARCHAR;  -- the name the enterprise's signer gave
"""),
    (7, "sign-in sessions that outlive a reload (a cookie), revocable", """
CREATE TABLE sessions (
    id VARCHAR PRIMARY KEY,              -- random: the browser tab's handle, kept in its Streamlit session
    username VARCHAR NOT NULL,
    cookie_hash VARCHAR,                 -- sha256 of the cookie's token; NULL until the browser took it
    ticket_hash VARCHAR,                 -- sha256 of the one-time ticket that hands the cookie over
    ticket_expires_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    ended_at TIMESTAMPTZ,
    ended_why VARCHAR                    -- signed_out, idle, expired, account_changed
);
"""),
    (8, "answers carry a version; every change of an answer is kept", """
ALTER TABLE inspection_items ADD COLUMN version INTEGER NOT NULL DEFAULT 1;  -- 1 for the first answer
CREATE TABLE answer_history (
    inspection_id VARCHAR NOT NULL,
    item_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,            -- the version this change made
    changed_at TIMESTAMPTZ NOT NULL,
    changed_by VARCHAR NOT NULL,
    from_result VARCHAR,                 -- NULL: the item's first answer
    to_result VARCHAR NOT NULL,
    from_note VARCHAR,
    to_note VARCHAR NOT NULL,
    from_level VARCHAR,
    to_level VARCHAR,
    PRIMARY KEY (inspection_id, item_id, version)
);
"""),
    (9, "the keys of answers a tablet delivered, so a resent answer is saved once", """
CREATE TABLE answer_keys (
    key VARCHAR PRIMARY KEY,             -- chosen by the tablet, once per tap
    inspection_id VARCHAR NOT NULL,
    item_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,            -- the answer's version that the delivery made
    saved_at TIMESTAMPTZ NOT NULL
);
"""),
    (10, "an audit trail, session versions, a visit's proof of presence, and whether this is a demo", """
CREATE SEQUENCE audit_number START 1;
CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY DEFAULT nextval('audit_number'),
    occurred_at TIMESTAMPTZ NOT NULL,
    actor VARCHAR NOT NULL,              -- username, or 'cli' for the command line
    action VARCHAR NOT NULL,             -- account_created, password_reset, account_deactivated, backup_downloaded, ...
    subject VARCHAR NOT NULL DEFAULT '', -- whom or what it was done to
    detail VARCHAR NOT NULL DEFAULT ''
);
ALTER TABLE users ADD COLUMN session_version INTEGER NOT NULL DEFAULT 1;     -- bumped by reset and deactivation
ALTER TABLE sessions ADD COLUMN session_version INTEGER NOT NULL DEFAULT 1;  -- the account's version at sign-in
ALTER TABLE inspections ADD COLUMN presence_proof VARCHAR;   -- 'presence_code': the enterprise's changing code was given; NULL: none
ALTER TABLE inspections ADD COLUMN presence_confirmed_at TIMESTAMPTZ;
ALTER TABLE inspections ADD COLUMN presence_confirmed_by VARCHAR;
CREATE TABLE deployment (
    key VARCHAR PRIMARY KEY,             -- 'demo': 'true' when the demo seeder made this database
    value VARCHAR NOT NULL
);
INSERT INTO deployment (key, value)            -- a database the demo seeder made before this step
    SELECT 'demo', 'true' WHERE EXISTS (SELECT 1 FROM enterprises WHERE name LIKE '（演示）%');
"""),
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

LATEST = MIGRATIONS[-1][0]


def current_version(cursor: duckdb.DuckDBPyConnection) -> int:
    exists = cursor.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'").fetchone()[0]
    if not exists:
        return 0
    return cursor.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def migrate(cursor: duckdb.DuckDBPyConnection, at: dt.datetime, until: int | None = None) -> list[int]:
    """Apply every step newer than the database's version (up to `until`, if given: a restore builds the
    schema of the backup's version first), recording `at` (the context's clock); return the versions
    applied."""
    cursor.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)""")
    have = current_version(cursor)
    applied = []
    for version, description, sql in MIGRATIONS:
        if version > have and (until is None or version <= until):
            cursor.execute(sql)
            cursor.execute("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
                           [version, description, at])
            applied.append(version)
    return applied
