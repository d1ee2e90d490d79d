-- 001: the public SQL contract. Add columns in later migrations; never rename.
CREATE SEQUENCE IF NOT EXISTS run_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS article_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS story_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS digest_id_seq START 1;

CREATE TABLE feeds (
    feed_id VARCHAR NOT NULL,            -- slug of the configured name
    name VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    added_at TIMESTAMPTZ,
    last_polled_at TIMESTAMPTZ,
    last_status VARCHAR,                 -- outcome of the last poll (fetch_log vocabulary)
    last_error VARCHAR,
    last_success_at TIMESTAMPTZ,
    etag VARCHAR,
    last_modified VARCHAR,
    body_hash VARCHAR,                   -- sha256 of the last feed body
    consecutive_failures INTEGER DEFAULT 0,
    next_poll_at TIMESTAMPTZ,
    disabled BOOLEAN DEFAULT FALSE,
    poll_minutes DOUBLE,
    items_last_poll INTEGER,
    new_items_last_poll INTEGER
);

CREATE TABLE articles (
    article_id BIGINT NOT NULL,
    feed_id VARCHAR,
    url VARCHAR,
    canonical_url VARCHAR,
    guid VARCHAR,
    title VARCHAR,
    author VARCHAR,
    published_at TIMESTAMPTZ,
    first_seen_at TIMESTAMPTZ NOT NULL,
    language VARCHAR,
    site_name VARCHAR,
    text VARCHAR NOT NULL,
    summary VARCHAR,
    word_count INTEGER,
    content_hash VARCHAR NOT NULL,
    duplicate_of BIGINT,
    near_duplicate_of BIGINT,
    near_duplicate_similarity DOUBLE,
    story_id BIGINT,
    extraction_method VARCHAR,           -- trafilatura | text | feed_summary
    run_id BIGINT
);

CREATE TABLE article_signatures (
    article_id BIGINT NOT NULL,
    minhash BLOB NOT NULL                -- MinHash signature, uint32 little-endian
);

CREATE TABLE fetch_log (
    run_id BIGINT,
    "at" TIMESTAMPTZ NOT NULL,          -- quote it in SQL: "at" is a keyword
    kind VARCHAR NOT NULL,               -- feed | page | robots
    feed_id VARCHAR,
    url VARCHAR,
    status_code INTEGER,
    outcome VARCHAR NOT NULL,
    bytes BIGINT,
    elapsed_ms DOUBLE,
    error VARCHAR
);

CREATE TABLE runs (
    run_id BIGINT NOT NULL,
    flow VARCHAR NOT NULL,               -- ingest | digest
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status VARCHAR NOT NULL,             -- running | ok | partial | failed | skipped | crashed
    pid INTEGER,
    feeds_polled INTEGER DEFAULT 0,
    entries_seen INTEGER DEFAULT 0,
    new_articles INTEGER DEFAULT 0,
    duplicates INTEGER DEFAULT 0,
    errors INTEGER DEFAULT 0,
    message VARCHAR
);

CREATE TABLE stories (
    story_id BIGINT NOT NULL,
    title VARCHAR,
    first_seen_at TIMESTAMPTZ,
    last_seen_at TIMESTAMPTZ,
    n_articles INTEGER,
    n_sources INTEGER,
    central_article_id BIGINT
);

CREATE TABLE actor_mentions (
    article_id BIGINT NOT NULL,
    actor_id VARCHAR NOT NULL,
    surface VARCHAR,
    sentence_index INTEGER,
    char_start INTEGER,
    char_end INTEGER,
    via_actor_id VARCHAR                 -- a person's affiliation, for roll-ups
);

CREATE TABLE actor_candidates (
    article_id BIGINT NOT NULL,
    name VARCHAR NOT NULL,
    role VARCHAR,
    affiliation VARCHAR,
    surface VARCHAR,
    sentence_index INTEGER,
    char_start INTEGER,
    char_end INTEGER
);

CREATE TABLE stances (
    article_id BIGINT NOT NULL,
    actor_id VARCHAR NOT NULL,
    topic_id VARCHAR NOT NULL,
    polarity VARCHAR NOT NULL,           -- support | oppose | neutral
    confidence DOUBLE,
    evidence VARCHAR,
    char_start INTEGER,
    char_end INTEGER,
    method VARCHAR
);

CREATE TABLE digests (
    digest_id BIGINT NOT NULL,
    window_start TIMESTAMPTZ,
    window_end TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    md_path VARCHAR,
    html_path VARCHAR,
    n_stories INTEGER,
    n_stance_changes INTEGER,
    sent_to VARCHAR,
    sent_at TIMESTAMPTZ,
    send_error VARCHAR
);
