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
 * sf (shared favorites) is driven from the candidates, one primary-key range of favorite_items
 * per candidate (LATERAL), not from the viewer's titles through the media index: a popular
 * title's fans grow with the user base (at a million users the viewer's ~20 titles had ~27,000
 * fans to filter down to the 500 candidates), while a candidate's favorites do not. The planner,
 * which sees a user's rows as scattered, preferred the title side; at 1M users the candidate side
 * measured 92 ms of retrieval against 159.
 *
 * sf's covers[i] is the cover URL of titles[i], '' where none is known (postgres.js reads a NULL
 * array element as the string 'NULL'): both arrays are ordered alike, the media id breaking ties
 * between equally rated titles of the same name.
 *
 * Counting then capping (20 recent events, 20 recent feedback rows, 200 requests) gives the same
 * numbers as the former per-candidate LIMITed counts. Every CTE is MATERIALIZED: each is planned
 * on its own, which keeps the planning of this statement short.
 */
export const CANDIDATE_FACTS_CTES = `
     vf AS MATERIALIZED (
       SELECT media_id, max(coalesce(rating, 3) + CASE WHEN liked THEN 1 ELSE 0 END) AS r
       FROM favorite_items WHERE user_id = $1 AND $4::boolean GROUP BY media_id
     ),
     sf AS MATERIALIZED (
       SELECT id, count(*)::int AS n, (array_agg(title ORDER BY r DESC, title, media_id))[1:3] AS titles,
              (array_agg(coalesce(cover_url, '') ORDER BY r DESC, title, media_id))[1:3] AS covers FROM (
         SELECT c.id, m.id AS media_id, m.title, m.cover_url, x.r
         FROM c
         CROSS JOIN LATERAL (
           SELECT f2.media_id, max(vf.r + coalesce(f2.rating, 3) + CASE WHEN f2.liked THEN 1 ELSE 0 END) AS r
           FROM favorite_items f2 JOIN vf ON vf.media_id = f2.media_id
           WHERE f2.user_id = c.id
           GROUP BY f2.media_id
         ) x
         JOIN canonical_media m ON m.id = x.media_id
       ) s GROUP BY id
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
       SELECT user_id AS id, least(count(*), 20)::int AS n FROM events
       WHERE user_id IN (SELECT id FROM c) AND created_at > now() - interval '14 days' GROUP BY user_id
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
     rep AS MATERIALIZED (
       SELECT target_id AS id, count(DISTINCT reporter_id)::int AS n FROM reports
       WHERE target_id IN (SELECT id FROM c) GROUP BY target_id
     ),
     -- One row per candidate; kind tags where a row came from. A privacy row exists only for a
     -- switched-off category (a missing row means on).
     facts AS MATERIALIZED (
       SELECT x.id,
              max(x.list) FILTER (WHERE x.kind = 'c') AS sources,
              NOT bool_or(x.kind = 'off:favorites') AS favorites,
              NOT bool_or(x.kind = 'off:interests') AS interests,
              NOT bool_or(x.kind = 'off:location') AS location,
              NOT bool_or(x.kind = 'off:behaviour') AS behaviour,
              max(x.n) FILTER (WHERE x.kind = 'sf') AS shared_n,
              max(x.list) FILTER (WHERE x.kind = 'sf') AS shared_titles,
              max(x.list2) FILTER (WHERE x.kind = 'sf') AS shared_covers,
              max(x.n) FILTER (WHERE x.kind = 'fof') AS mutual,
              max(x.n) FILTER (WHERE x.kind = 'ev') AS events,
              max(x.n) FILTER (WHERE x.kind = 'fb_recent') AS feedback_recent,
              max(x.n) FILTER (WHERE x.kind = 'rcv') AS received,
              max(x.n) FILTER (WHERE x.kind = 'acc') AS accepted,
              max(x.n) FILTER (WHERE x.kind = 'rep') AS reports
       FROM (
         SELECT c.id, 'c' AS kind, NULL::int AS n, c.sources AS list, NULL::text[] AS list2 FROM c
         UNION ALL
         SELECT s.user_id, 'off:' || s.category, NULL, NULL, NULL FROM privacy_settings s
         WHERE s.user_id IN (SELECT id FROM c) AND NOT s.enabled
         UNION ALL SELECT id, 'sf', n, titles, covers FROM sf
         UNION ALL SELECT other, 'fof', n, NULL, NULL FROM fof
         UNION ALL SELECT id, 'ev', n, NULL, NULL FROM ev
         UNION ALL SELECT id, 'fb_recent', n, NULL, NULL FROM fb_recent
         UNION ALL SELECT id, 'rcv', n, NULL, NULL FROM rcv
         UNION ALL SELECT id, 'acc', n, NULL, NULL FROM acc
         UNION ALL SELECT id, 'rep', n, NULL, NULL FROM rep
       ) x
       GROUP BY x.id
       HAVING bool_or(x.kind = 'c')
     )`;
