import { categoryDescriptions, type PrivacyCategory } from "@/lib/privacy/categories";
import type { UiLocale } from "./messages";

// The English descriptions live beside the categories (lib/privacy); these are their Spanish twins.
const spanish: Record<PrivacyCategory, { holds: string; whenOff: string }> = {
  favorites: {
    holds: "Tus películas, libros y música, y el perfil de gustos y rasgos que calculamos a partir de ellos.",
    whenOff:
      "Las coincidencias dejan de usar tus gustos al instante; tu vector de gustos y tus rasgos se borran en 15 minutos.",
  },
  connectors: {
    holds: "Servicios conectados (Spotify) y los favoritos que sincronizan.",
    whenOff:
      "Las sincronizaciones se detienen al instante y se cancelan las pendientes. Los favoritos que sincronizó un servicio conectado siguen en tu lista, pero tus gustos, tus rasgos y los favoritos en común en descubrir dejan de usarlos en 15 minutos, hasta que vuelvas a activarlo. Los archivos que importaste (Letterboxd, Goodreads) y los títulos que añadiste tú no se ven afectados.",
  },
  interests: {
    holds: "Tus aficiones y comunidades.",
    whenOff: "Las coincidencias y los motivos dejan de usar tus intereses al instante.",
  },
  behaviour: {
    holds: "Cómo usas descubrir: tiempo en las tarjetas, deslizamientos y clics.",
    whenOff: "Dejamos de aprender de tu comportamiento al instante; sus agregados se ocultan en 15 minutos.",
  },
  location: {
    holds: "Tu ubicación aproximada, para la distancia y las sugerencias cercanas.",
    whenOff: "La distancia deja de usarse y mostrarse al instante.",
  },
  discoverable: {
    holds: "Si otras personas pueden verte en sus sugerencias.",
    whenOff: "Desapareces de las sugerencias de todos al instante.",
  },
};

/** What a category holds and what switching it off does (with when), in the page's language. */
export function describeCategory(category: PrivacyCategory, locale: UiLocale): { holds: string; whenOff: string } {
  return locale === "es" ? spanish[category] : categoryDescriptions[category];
}
