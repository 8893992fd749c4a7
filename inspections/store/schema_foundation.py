"""Schema steps 1 to 10: the foundation (registry, catalogue, visits, answers, hazards,
photos, extensions, caps, sessions, the audit trail and proof of presence), as data for store.migrations (which runs them in order and records each in
`schema_migrations`). A released step is never edited; a new one goes at the end of the newest module."""
from __future__ import annotations

FOUNDATION_STEPS: list[tuple[int, str, str]] = [
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
]
