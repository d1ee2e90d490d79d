-- 004: story_overview reads per-story aggregates kept at write time instead of aggregating every
-- story's articles, mentions and stances on each query ("latest 20 stories" was a full
-- aggregation). story_facts holds one row per story that has a distinct (non-duplicate)
-- article; the ingest rewrites the rows of the stories a batch touches, in the batch's
-- transaction (Store.refresh_story_facts: 003's aggregation restricted to those stories). Its
-- columns mean what they meant in 003's story_overview: duplicates are left out, an article's
-- time is published_at or first_seen_at, people are rolled up to via_actor_id.

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

-- Fill it from the data already stored: 003's story_overview, still defined at this point, is
-- exactly that aggregation (the stories join only adds title and central_article_id).
INSERT INTO story_facts
SELECT
    story_id,
    first_seen_at,
    last_seen_at,
    n_articles,
    n_sources,
    sources,
    top_actors,
    n_stances,
    n_support,
    n_oppose,
    latest_stance_at
FROM story_overview;

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
