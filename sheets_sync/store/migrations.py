"""The schema of the state store, versioned.

Each migration in :data:`MIGRATIONS` runs once, in order, and is recorded in ``schema_migrations``
(as sqlite-utils does): an old database upgrades itself when opened, and a database written by a
newer sheets-sync is refused with a clear error instead of being misread.  Add a migration at the end;
never edit one that has shipped.
"""

from __future__ import annotations

from sheets_sync.errors import StoreError
from sheets_sync.store.database import Database
from sheets_sync.texts import Text

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "initial",
        """
        CREATE TABLE forms (
            unit TEXT NOT NULL, year INTEGER NOT NULL, form_id TEXT NOT NULL, link TEXT NOT NULL,
            title TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (unit, year));
        CREATE TABLE snapshots (
            id INTEGER PRIMARY KEY, unit TEXT NOT NULL, period TEXT NOT NULL, form_id TEXT NOT NULL,
            sha256 TEXT NOT NULL, payload TEXT NOT NULL, first_read_at TEXT NOT NULL, last_read_at TEXT NOT NULL);
        CREATE INDEX snapshots_unit_period ON snapshots (unit, period, id);
        CREATE TABLE poll_state (
            unit TEXT NOT NULL, period TEXT NOT NULL, state TEXT NOT NULL, filled INTEGER NOT NULL,
            required INTEGER NOT NULL, completed_at TEXT, last_change TEXT, stale INTEGER NOT NULL DEFAULT 0,
            findings TEXT NOT NULL DEFAULT '[]', updated_at TEXT NOT NULL, PRIMARY KEY (unit, period));
        CREATE TABLE approvals (
            id INTEGER PRIMARY KEY, unit TEXT NOT NULL, period TEXT NOT NULL, version INTEGER NOT NULL,
            status TEXT NOT NULL, catatan TEXT NOT NULL DEFAULT '', decided_on TEXT, snapshot_id INTEGER,
            sha256 TEXT, recorded_at TEXT NOT NULL);
        CREATE INDEX approvals_unit_period ON approvals (unit, period, id);
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY, dedupe_key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, unit TEXT,
            period TEXT, to_addrs TEXT NOT NULL, cc_addrs TEXT NOT NULL DEFAULT '[]', subject TEXT NOT NULL,
            body_text TEXT NOT NULL, body_html TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'queued',
            attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL,
            next_attempt_at TEXT NOT NULL, sent_at TEXT);
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY, period TEXT NOT NULL, kind TEXT NOT NULL, version INTEGER NOT NULL,
            draft INTEGER NOT NULL, letter_number TEXT NOT NULL DEFAULT '', path TEXT NOT NULL,
            link TEXT NOT NULL DEFAULT '', sha256 TEXT NOT NULL, snapshot_ref TEXT NOT NULL,
            created_at TEXT NOT NULL, UNIQUE (period, kind, snapshot_ref, draft));
        CREATE TABLE letters (
            id INTEGER PRIMARY KEY, year INTEGER NOT NULL, seq INTEGER NOT NULL, number TEXT NOT NULL UNIQUE,
            purpose TEXT NOT NULL, key TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, UNIQUE (year, seq));
        CREATE TABLE job_runs (
            id INTEGER PRIMARY KEY, job TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
            ok INTEGER, error TEXT NOT NULL DEFAULT '');
        CREATE TABLE events (
            id INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, unit TEXT, period TEXT,
            detail TEXT NOT NULL DEFAULT '{}');
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    ),
    (
        "poll_state_done_flag",  # the "Selesai" signal stops reminders; keep it with the status
        "ALTER TABLE poll_state ADD COLUMN done INTEGER NOT NULL DEFAULT 0;",
    ),
    (
        "message_attachments",  # final documents sent to the distribution list (store/attachments.py)
        "CREATE TABLE message_attachments (id INTEGER PRIMARY KEY, dedupe_key TEXT NOT NULL, filename TEXT NOT NULL,"
        " path TEXT NOT NULL, sha256 TEXT NOT NULL, UNIQUE (dedupe_key, filename));",
    ),
    (
        "message_claims",  # delivery claims a message (status 'sending' with a lease) before SMTP
        """
        ALTER TABLE messages ADD COLUMN lease_until TEXT;
        ALTER TABLE messages ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
        CREATE INDEX messages_status ON messages (status, next_attempt_at);
        """,
    ),
    (
        "decisions_unique_and_tab_actions",  # one decision per (bidang, period, status, date); locks retried
        """
        DELETE FROM approvals WHERE id NOT IN (
            SELECT MIN(id) FROM approvals GROUP BY unit, period, status, COALESCE(decided_on, ''));
        CREATE UNIQUE INDEX approvals_decision ON approvals (unit, period, status, COALESCE(decided_on, ''));
        CREATE TABLE tab_actions (
            id INTEGER PRIMARY KEY, unit TEXT NOT NULL, period TEXT NOT NULL, action TEXT NOT NULL,
            approval_id INTEGER NOT NULL, created_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NOT NULL DEFAULT '', done_at TEXT, outcome TEXT NOT NULL DEFAULT '');
        CREATE INDEX tab_actions_pending ON tab_actions (period, unit) WHERE done_at IS NULL;
        """,
    ),
    (
        "document_files",  # the bytes of each final document, to restore a deleted or altered file exactly
        "CREATE TABLE document_files (document_id INTEGER PRIMARY KEY, content BLOB NOT NULL);",
    ),
    (
        "imports_table",  # import records get their own table (store/imports.py); the meta JSON moves there
        """
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY, period TEXT NOT NULL, bidang TEXT NOT NULL DEFAULT '',
            file TEXT NOT NULL DEFAULT '', sha256 TEXT NOT NULL DEFAULT '', imported_at TEXT NOT NULL,
            mode TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', UNIQUE (period, bidang));
        INSERT INTO imports (period, bidang, file, sha256, imported_at, mode, reason)
            SELECT json_extract(m.value, '$.period'), COALESCE(u.value, ''),
                   COALESCE(json_extract(m.value, '$.file'), ''), COALESCE(json_extract(m.value, '$.sha256'), ''),
                   json_extract(m.value, '$.at'), json_extract(m.value, '$.kind'),
                   COALESCE(json_extract(m.value, '$.reason'), '')
            FROM meta m LEFT JOIN json_each(m.value, '$.units') u WHERE m.key LIKE 'import:%';
        DELETE FROM meta WHERE key LIKE 'import:%'
        """,
    ),
)


def migrate(db: Database) -> list[str]:
    """Apply pending migrations; returns the names applied."""
    db.conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
    )
    done = {r[0] for r in db.conn.execute("SELECT version FROM schema_migrations")}
    if done and max(done) > len(MIGRATIONS):
        raise StoreError(
            Text("versi skema basis data {found} lebih baru daripada sheets-sync ini ({known})", found=max(done),
                 known=len(MIGRATIONS)),
            fix=Text("perbarui sheets-sync atau arahkan store.url ke berkas lain"),
        )
    applied = []
    for version, (name, sql) in enumerate(MIGRATIONS, start=1):
        if version in done:
            continue
        with db.transaction():
            for stmt in (s.strip() for s in sql.split(";")):
                if stmt:
                    db.conn.execute(stmt)
            db.conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (version, name))
        applied.append(name)
    return applied


def schema_version(db: Database) -> int:
    row = db.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)
