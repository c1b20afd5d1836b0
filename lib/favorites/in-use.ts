import { connectorSources } from "./types";

// The constants are fixed identifiers; checked anyway, since they are spliced into SQL text.
const quoted = connectorSources.map((s) => {
  if (!/^[a-z_]+$/.test(s)) throw new Error(`connector source ${s} is not a plain identifier`);
  return `'${s}'`;
});

/** The connector sources as an SQL array literal (text[]). */
export const connectorSourcesSql = `ARRAY[${quoted.join(", ")}]::text[]`;

/**
 * An SQL condition: the favorite row `f` (a favorite_items alias) may feed taste and discovery.
 * Not when its owner switched `favorites` off, nor, for a row a connector synced, `connectors`.
 * Rows that fail it stay in the person's favorites (listed, exported); only what is computed
 * from favorites (taste vectors, traits, the profile's media mix, shared favorites) skips them.
 * A missing privacy row means on, so the check is a probe of privacy_settings' primary key.
 */
export function favoriteInUseSql(f: string): string {
  return `NOT EXISTS (SELECT 1 FROM privacy_settings s_off
      WHERE s_off.user_id = ${f}.user_id AND NOT s_off.enabled
        AND (s_off.category = 'favorites'
             OR (s_off.category = 'connectors' AND ${f}.source = ANY (${connectorSourcesSql}))))`;
}
