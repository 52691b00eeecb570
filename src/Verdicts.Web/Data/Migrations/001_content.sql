-- Content rows: replaced by each import, never edited by hand. Drafts are not stored here at all.
CREATE TABLE tools (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    category_slug TEXT NOT NULL,
    tagline TEXT NOT NULL,
    vendor TEXT,
    website TEXT,
    license TEXT,
    tags TEXT NOT NULL,
    released TEXT,
    entry_price TEXT NOT NULL,
    description_html TEXT NOT NULL,
    description_text TEXT NOT NULL,
    panel_ship INTEGER NOT NULL,
    panel_skip INTEGER NOT NULL,
    path TEXT NOT NULL
);
CREATE INDEX tools_by_category ON tools (category_slug, name);

CREATE TABLE tool_plans (
    tool_slug TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    price TEXT NOT NULL,
    notes TEXT,
    PRIMARY KEY (tool_slug, position)
);

CREATE TABLE tool_aliases (
    alias TEXT PRIMARY KEY COLLATE NOCASE,
    tool_slug TEXT NOT NULL
);

CREATE TABLE reviewers (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    lens TEXT NOT NULL,
    sort_order INTEGER,
    bio_html TEXT NOT NULL,
    path TEXT NOT NULL
);

CREATE TABLE verdicts (
    tool_slug TEXT NOT NULL,
    reviewer_slug TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('ship', 'skip')),
    date TEXT,
    quote_html TEXT NOT NULL,
    quote_text TEXT NOT NULL,
    path TEXT NOT NULL,
    PRIMARY KEY (tool_slug, reviewer_slug)
);
CREATE INDEX verdicts_by_reviewer ON verdicts (reviewer_slug);

CREATE TABLE comparisons (
    slug TEXT PRIMARY KEY,
    title TEXT,
    question TEXT,
    intro_html TEXT NOT NULL,
    published TEXT NOT NULL,
    featured INTEGER NOT NULL,
    -- The compared slugs sorted and joined by spaces: finds the curated page for a generated URL.
    tool_set TEXT NOT NULL,
    path TEXT NOT NULL
);
CREATE INDEX comparisons_by_published ON comparisons (published DESC, slug);
CREATE INDEX comparisons_by_tool_set ON comparisons (tool_set);

CREATE TABLE comparison_tools (
    comparison_slug TEXT NOT NULL,
    position INTEGER NOT NULL,
    tool_slug TEXT NOT NULL,
    PRIMARY KEY (comparison_slug, position)
);
CREATE INDEX comparison_tools_by_tool ON comparison_tools (tool_slug);

CREATE VIRTUAL TABLE search_index USING fts5 (
    tool_slug UNINDEXED,
    kind UNINDEXED,
    title,
    tagline,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- What the loader saw: one row per content file, with the text of its last accepted version,
-- which is served again (and survives a restart) while the file on disk is broken.
CREATE TABLE content_files (
    path TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    good_sha256 TEXT,
    good_source TEXT,
    updated_at TEXT NOT NULL
);

CREATE TABLE content_errors (
    path TEXT NOT NULL,
    line INTEGER NOT NULL,
    "column" INTEGER NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX content_errors_by_path ON content_errors (path);

CREATE TABLE content_reloads (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    reloaded_at TEXT NOT NULL,
    files INTEGER NOT NULL,
    errors INTEGER NOT NULL
);
