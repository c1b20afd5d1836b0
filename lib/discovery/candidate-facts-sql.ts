/**
 * The per-candidate facts of the retrieval statement, as CTEs over the candidate set
 * `c(id, sources)`: each fact is computed once per slate for all candidates together (one grouped
 * index-driven pass per table) rather than by a subquery per candidate row, which dominated the
 * uncached latency. Parameters: $1 viewer, $4 viewer's favorites on.
 *
 * They end in one CTE, `facts`: exactly one row per candidate with every fact as a column, built
 * by a single GROUP BY over a UNION ALL of tagged rows. The main query then joins only base tables
 * by primary key. Joining the fact CTEs one by one instead made the planner, which cannot
 * estimate CTE-to-CTE joins (it guessed 1 row for ~500), nest-loop over each CTE for every
 * candidate: ~200,000 comparisons per CTE, 100 ms of a 160 ms statement at 100k users.
 *
 * sf (shared favorites) pairs candidates with the viewer's titles in one of two ways, chosen by
 * the size of favorite_items (its planner estimate, free to read) and gated by a one-time filter,
 * so only one runs. Small: from the viewer's ~20 titles through the media index, their fans
 * filtered to the candidates. Large: from the candidates, one primary-key range of each one's
 * favorites (LATERAL). A popular title's fans grow with the user base while a candidate's
 * favorites do not: at 1M users (20M favorites) the titles had ~27,000 fans to filter and the
 * candidate side measured 92 ms of retrieval against 159; at 100k users (2M favorites) the title
 * side won on PGlite, 99 ms against 157. The planner, which rates one user's rows as scattered,
 * always picked the title side, so the statement chooses.
 *
 * sf yields the count and the shared media ids only, no ratings or titles: the candidates' side
 * then reads nothing but the primary key (an index-only scan), 8 ms for 500 candidates at 1M users
 * against 21 ms when each favorite's rating came from the table. Which shared titles to show (the
 * best rated, with covers) is read later, for the candidates a slate shows (shared-titles.ts).
 *
 * Favorites a connector synced count only for people whose `connectors` switch is on: the
 * viewer's side through the shared rule (favoriteInUseSql, ~20 rows), the candidates' side
 * through the few candidates who switched it off (conn_off, a hashed set), so the candidates'
 * favorites are still read from the primary key alone (source is part of it).
 *
 * Counting then capping (20 recent events, 20 recent feedback rows, 200 requests) gives the same
 * numbers as the former per-candidate LIMITed counts. Every CTE is MATERIALIZED: each is planned
 * on its own, which keeps the planning of this statement short.
 */
import { connectorSourcesSql, favoriteInUseSql } from "../favorites/in-use";

/** favorite_items rows above which shared favorites are found from the candidates' side (see above). */
export const SHARED_FAVORITES_LATERAL_ABOVE_ROWS = 5_000_000;

export const candidateFactsCtes = (lateralAboveRows = SHARED_FAVORITES_LATERAL_ABOVE_ROWS) => `
     vf AS MATERIALIZED (
       SELECT DISTINCT f.media_id FROM favorite_items f WHERE f.user_id = $1 AND $4::boolean AND ${favoriteInUseSql("f")}
     ),
     conn_off AS MATERIALIZED (
       SELECT s.user_id FROM privacy_settings s
       WHERE s.user_id IN (SELECT id FROM c) AND s.category = 'connectors' AND NOT s.enabled
     ),
     sf_large AS MATERIALIZED (
       SELECT coalesce((SELECT reltuples FROM pg_class WHERE oid = 'favorite_items'::regclass), 0)
                > ${lateralAboveRows}::float8 AS yes
     ),
     sf_pairs AS MATERIALIZED (
       SELECT DISTINCT f2.user_id AS id, f2.media_id
       FROM vf
       JOIN favorite_items f2 ON f2.media_id = vf.media_id
       JOIN c ON c.id = f2.user_id
       WHERE NOT (SELECT yes FROM sf_large)
         AND NOT (f2.source = ANY (${connectorSourcesSql}) AND f2.user_id IN (SELECT user_id FROM conn_off))
       UNION ALL
       SELECT c.id, x.media_id
       FROM c
       CROSS JOIN LATERAL (
         SELECT DISTINCT f2.media_id FROM favorite_items f2
         WHERE f2.user_id = c.id AND f2.media_id IN (SELECT media_id FROM vf)
           AND NOT (f2.source = ANY (${connectorSourcesSql}) AND f2.user_id IN (SELECT user_id FROM conn_off))
       ) x
       WHERE (SELECT yes FROM sf_large)
     ),
     sf AS MATERIALIZED (
       SELECT id, count(*)::int AS n, array_agg(media_id ORDER BY media_id) AS media
       FROM sf_pairs GROUP BY id
     ),
     vconn AS MATERIALIZED (
       SELECT target_user_id AS id FROM feedback WHERE user_id = $1 AND action = 'connect_accept' AND target_user_id IS NOT NULL
       UNION SELECT user_id FROM feedback WHERE target_user_id = $1 AND action = 'connect_accept'
     ),
     fof AS MATERIALIZED (
       SELECT other, count(DISTINCT friend)::int AS n FROM (
         SELECT f.target_user_id AS other, f.user_id AS friend FROM feedback f JOIN vconn ON f.user_id = vconn.id
           WHERE f.action = 'connect_accept'
         UNION ALL
         SELECT f.user_id, f.target_user_id FROM feedback f JOIN vconn ON f.target_user_id = vconn.id
           WHERE f.action = 'connect_accept'
       ) x WHERE other IN (SELECT id FROM c) GROUP BY other
     ),
     ev AS MATERIALIZED (
       -- Each candidate's newest 20 through the (user_id, created_at DESC) index, counted: a few
       -- people with very many events (a load test's viewer, 300k impressions) made the planner
       -- expect thousands per candidate and hash every recent event instead, 210 ms of a 260 ms
       -- retrieval at 100k people. The ORDER BY matching the index keeps it on the index.
       SELECT c.id, recent.n FROM c CROSS JOIN LATERAL (
         SELECT count(*)::int AS n FROM (
           SELECT 1 FROM events e
           WHERE e.user_id = c.id AND e.created_at > now() - interval '14 days' AND behavioural_event(e.kind)
           ORDER BY e.created_at DESC LIMIT 20
         ) newest
       ) recent
       WHERE recent.n > 0
     ),
     fb_recent AS MATERIALIZED (
       SELECT user_id AS id, least(count(*), 20)::int AS n FROM feedback
       WHERE user_id IN (SELECT id FROM c) AND created_at > now() - interval '14 days' GROUP BY user_id
     ),
     rcv AS MATERIALIZED (
       SELECT target_user_id AS id, least(count(*), 200)::int AS n FROM feedback
       WHERE target_user_id IN (SELECT id FROM c) AND action IN ('connect', 'connect_request') GROUP BY target_user_id
     ),
     acc AS MATERIALIZED (
       SELECT user_id AS id, least(count(*), 200)::int AS n FROM feedback
       WHERE user_id IN (SELECT id FROM c) AND action = 'connect_accept' GROUP BY user_id
     ),
     -- The viewer's own attention to each candidate (their behaviour features, a primary-key range):
     -- weighted actions (open_profile and click 2, reaction 3) and the dwell spent on their card.
     att AS MATERIALIZED (
       SELECT c.id,
              sum(t.n * CASE t.kind WHEN 'reaction' THEN 3 WHEN 'open_profile' THEN 2 WHEN 'click' THEN 2 ELSE 0 END)::int AS n,
              sum(t.dwell_ms)::float8 AS dwell
       FROM behaviour_target_counts t JOIN c ON t.target_id = c.id::text
       WHERE t.user_id = $1 AND t.target_type = 'person'
       GROUP BY c.id
     ),
     rep AS MATERIALIZED (
       SELECT target_id AS id, count(DISTINCT reporter_id)::int AS n FROM reports
       WHERE target_id IN (SELECT id FROM c) AND status <> 'dismissed' GROUP BY target_id
     ),
     -- One row per candidate; kind tags where a row came from. A privacy row exists only for a
     -- switched-off category (a missing row means on).
     facts AS MATERIALIZED (
       SELECT x.id,
              max(x.list) FILTER (WHERE x.kind = 'c') AS sources,
              max(x.d1) FILTER (WHERE x.kind = 'c') AS taste_d,
              max(x.d2) FILTER (WHERE x.kind = 'c') AS profile_d,
              NOT bool_or(x.kind = 'off:favorites') AS favorites,
              NOT bool_or(x.kind = 'off:interests') AS interests,
              NOT bool_or(x.kind = 'off:location') AS location,
              NOT bool_or(x.kind = 'off:behaviour') AS behaviour,
              max(x.n) FILTER (WHERE x.kind = 'sf') AS shared_n,
              max(x.list) FILTER (WHERE x.kind = 'sf') AS shared_media,
              max(x.n) FILTER (WHERE x.kind = 'fof') AS mutual,
              max(x.n) FILTER (WHERE x.kind = 'ev') AS events,
              max(x.n) FILTER (WHERE x.kind = 'fb_recent') AS feedback_recent,
              max(x.n) FILTER (WHERE x.kind = 'rcv') AS received,
              max(x.n) FILTER (WHERE x.kind = 'acc') AS accepted,
              max(x.n) FILTER (WHERE x.kind = 'rep') AS reports,
              max(x.n) FILTER (WHERE x.kind = 'att') AS attention_n,
              max(x.d1) FILTER (WHERE x.kind = 'att') AS attention_dwell
       FROM (
         SELECT c.id, 'c' AS kind, NULL::int AS n, c.sources AS list, c.taste_d AS d1, c.profile_d AS d2 FROM c
         UNION ALL
         SELECT s.user_id, 'off:' || s.category, NULL, NULL, NULL, NULL FROM privacy_settings s
         WHERE s.user_id IN (SELECT id FROM c) AND NOT s.enabled
         UNION ALL SELECT id, 'sf', n, media, NULL, NULL FROM sf
         UNION ALL SELECT other, 'fof', n, NULL, NULL, NULL FROM fof
         UNION ALL SELECT id, 'ev', n, NULL, NULL, NULL FROM ev
         UNION ALL SELECT id, 'fb_recent', n, NULL, NULL, NULL FROM fb_recent
         UNION ALL SELECT id, 'rcv', n, NULL, NULL, NULL FROM rcv
         UNION ALL SELECT id, 'acc', n, NULL, NULL, NULL FROM acc
         UNION ALL SELECT id, 'rep', n, NULL, NULL, NULL FROM rep
         UNION ALL SELECT id, 'att', n, NULL, dwell, NULL FROM att
       ) x
       GROUP BY x.id
       HAVING bool_or(x.kind = 'c')
     )`;
