-- 003: views for analysts. Duplicate articles (duplicate_of set) are left out everywhere.
-- An article's time is published_at, or first_seen_at when the page gave no date; days are UTC.
-- Filters on the leading columns (actor_id, topic_id, day, story_id) are pushed into the scans
-- and aggregations by DuckDB, so "one actor", "one topic" and "last 30 days" stay cheap.

-- One row per stance, with its article.
CREATE OR REPLACE VIEW stance_timeline AS
SELECT
    s.actor_id,
    s.topic_id,
    s.polarity,
    s.confidence,
    s.evidence,
    s.method,
    coalesce(a.published_at, a.first_seen_at) AS published_at,
    a.article_id,
    a.title,
    a.url,
    coalesce(a.site_name, a.feed_id) AS source,
    a.feed_id,
    a.story_id,
    a.first_seen_at
FROM stances s
JOIN articles a USING (article_id)
WHERE a.duplicate_of IS NULL;

-- One row per UTC day and actor. `mentions` and `articles` count the actor named itself;
-- the *_with_people columns roll people up to the actor they are affiliated with
-- (actor_mentions.via_actor_id): a mention of Vladimir Putin also counts for RUS there.
-- People are rows of their own too (actor_id 'vladimir-putin').
CREATE OR REPLACE VIEW actor_daily_mentions AS
WITH dated AS (
    SELECT
        m.article_id,
        m.actor_id,
        m.via_actor_id,
        CAST(timezone('UTC', coalesce(a.published_at, a.first_seen_at)) AS DATE) AS day
    FROM actor_mentions m
    JOIN articles a USING (article_id)
    WHERE a.duplicate_of IS NULL
),
counted AS (
    SELECT day, actor_id, article_id, TRUE AS direct FROM dated
    UNION ALL
    SELECT day, via_actor_id AS actor_id, article_id, FALSE AS direct FROM dated
    WHERE via_actor_id IS NOT NULL AND via_actor_id <> actor_id
)
SELECT
    day,
    actor_id,
    count(*) FILTER (WHERE direct) AS mentions,
    count(DISTINCT article_id) FILTER (WHERE direct) AS articles,
    count(*) AS mentions_with_people,
    count(DISTINCT article_id) AS articles_with_people
FROM counted
GROUP BY day, actor_id;

-- One row per story: its span, size, sources, the five actors named in most of its articles
-- (people rolled up to their affiliation), and its stances.
CREATE OR REPLACE VIEW story_overview AS
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
    st.title,
    p.first_seen_at,
    p.last_seen_at,
    p.n_articles,
    p.n_sources,
    p.sources,
    coalesce(t.top_actors, []) AS top_actors,
    coalesce(ss.n_stances, 0) AS n_stances,
    coalesce(ss.n_support, 0) AS n_support,
    coalesce(ss.n_oppose, 0) AS n_oppose,
    ss.latest_stance_at,
    st.central_article_id
FROM spans p
LEFT JOIN stories st USING (story_id)
LEFT JOIN top_actors t USING (story_id)
LEFT JOIN story_stances ss USING (story_id);
