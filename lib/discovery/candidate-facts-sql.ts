/**
 * The per-candidate facts of the retrieval statement, as CTEs over the candidate set `c(id)`:
 * each fact is computed once per slate for all candidates together (one grouped scan per table)
 * rather than by a subquery per candidate row, which dominated the uncached latency. Parameters:
 * $1 viewer, $4 viewer's favorites on. Each CTE is keyed by candidate id (`id`, or `other` for
 * fof); apart from ps (one row per candidate) they hold only candidates with rows, so the main
 * query left-joins and coalesces.
 *
 * Counting then capping (20 recent events, 20 recent feedback rows, 200 requests) gives the same
 * numbers as the former per-candidate LIMITed counts. Every CTE is MATERIALIZED: each is planned
 * on its own, which keeps the planning of this many-join statement short.
 */
export const CANDIDATE_FACTS_CTES = `
     ps AS MATERIALIZED (
       SELECT c.id,
              coalesce(bool_and(s.enabled) FILTER (WHERE s.category = 'favorites'), true) AS favorites,
              coalesce(bool_and(s.enabled) FILTER (WHERE s.category = 'interests'), true) AS interests,
              coalesce(bool_and(s.enabled) FILTER (WHERE s.category = 'location'), true) AS location,
              coalesce(bool_and(s.enabled) FILTER (WHERE s.category = 'behaviour'), true) AS behaviour
       FROM c LEFT JOIN privacy_settings s ON s.user_id = c.id GROUP BY c.id
     ),
     vf AS MATERIALIZED (
       SELECT media_id, max(coalesce(rating, 3) + CASE WHEN liked THEN 1 ELSE 0 END) AS r
       FROM favorite_items WHERE user_id = $1 AND $4::boolean GROUP BY media_id
     ),
     sf AS MATERIALIZED (
       SELECT id, count(*)::int AS n, (array_agg(title ORDER BY r DESC, title))[1:3] AS titles FROM (
         SELECT f2.user_id AS id, m.title,
                max(vf.r + coalesce(f2.rating, 3) + CASE WHEN f2.liked THEN 1 ELSE 0 END) AS r
         FROM vf
         JOIN favorite_items f2 ON f2.media_id = vf.media_id
         JOIN c ON c.id = f2.user_id
         JOIN canonical_media m ON m.id = vf.media_id
         GROUP BY f2.user_id, m.id, m.title
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
     )`;
