-- 004: story_overview reads per-story aggregates kept at write time instead of aggregating every
-- story's articles, mentions and stances on each query ("latest 20 stories" was a full
-- aggregation). story_facts holds one row per story that has a distinct (non-duplicate)
-- article; the ingest rewrites the rows of the stories a batch touches, in the batch's
-- transaction (Store.refresh_story_facts, whose SQL is the SELECT below restricted to those
-- stories). Its columns mean what they meant in 003's story_overview: duplicates are left out,
-- an article's time is published_at or first_seen_at, people are rolled up to via_actor_id.

CREATE TABLE story_facts (
    story_id BIGINT NOT NULL,            -- one row per story
    first_seen_at TIMESTAMPTZ NOT NULL,  -- earliest article time
    last_seen_at TIMESTAMPTZ NOT NULL,   -- latest article time
    n_articles BIGINT NOT NULL,          -- distinct articles
    n_sources BIGINT NOT NULL,           -- distinct coalesce(site_name, feed_id)
    sources VARCHAR[] NOT NULL,          -- those sources, sorted
    top_actors VARCHAR[] NOT NULL,       -- five actors named in most articles (people rolled up)
    n_stances BIGINT NOT NULL,
    n_support BIGINT NOT NULL,
    n_oppose BIGINT NOT NULL,
    latest_stance_at TIMESTAMPTZ         -- time of the latest article with a stance
);

-- Fill it from the data already stored (the aggregation of 003's story_overview, once).
INSERT INTO story_facts
WITH members AS (
    SELECT
        article_id,
        story_id,
        coalesce(published_at, first_seen_at) AS article_time,
        coalesce(site_name, feed_id) AS source
    FROM articles
    WHERE duplicate_of IS NULL AND story_id IS NOT NULL
),
spans AS (
    SELECT
        story_id,
        min(article_time) AS first_seen_at,
        max(article_time) AS last_seen_at,
        count(*) AS n_articles,
        count(DISTINCT source) AS n_sources,
        list(DISTINCT source ORDER BY source) AS sources
    FROM members
    GROUP BY story_id
),
story_actors AS (
    SELECT
        r.story_id,
        coalesce(m.via_actor_id, m.actor_id) AS actor_id,
        count(DISTINCT m.article_id) AS n
    FROM actor_mentions m
    JOIN members r USING (article_id)
    GROUP BY ALL
),
top_actors AS (
    -- ties between equally named actors: the later actor_id first (deterministic, cheap)
    SELECT story_id, arg_max(actor_id, (n, actor_id), 5) AS top_actors
    FROM story_actors
    GROUP BY story_id
),
story_stances AS (
    SELECT
        r.story_id,
        count(*) AS n_stances,
        count(*) FILTER (WHERE s.polarity = 'support') AS n_support,
        count(*) FILTER (WHERE s.polarity = 'oppose') AS n_oppose,
        max(r.article_time) AS latest_stance_at
    FROM stances s
    JOIN members r USING (article_id)
    GROUP BY r.story_id
)
SELECT
    p.story_id,
    p.first_seen_at,
    p.last_seen_at,
    p.n_articles,
    p.n_sources,
    p.sources,
    coalesce(t.top_actors, []) AS top_actors,
    coalesce(ss.n_stances, 0) AS n_stances,
    coalesce(ss.n_support, 0) AS n_support,
    coalesce(ss.n_oppose, 0) AS n_oppose,
    ss.latest_stance_at
FROM spans p
LEFT JOIN top_actors t USING (story_id)
LEFT JOIN story_stances ss USING (story_id);

-- One row per story: its span, size, sources, the five actors named in most of its articles
-- (people rolled up to their affiliation), and its stances. Same columns as in 003.
CREATE OR REPLACE VIEW story_overview AS
SELECT
    f.story_id,
    st.title,
    f.first_seen_at,
    f.last_seen_at,
    f.n_articles,
    f.n_sources,
    f.sources,
    f.top_actors,
    f.n_stances,
    f.n_support,
    f.n_oppose,
    f.latest_stance_at,
    st.central_article_id
FROM story_facts f
LEFT JOIN stories st USING (story_id);
