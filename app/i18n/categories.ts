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
      "Las sincronizaciones se detienen al instante y se cancelan las pendientes. Los favoritos que sincronizó un servicio conectado siguen en tu lista, pero hasta que vuelvas a activarlo descubrir deja de contarlos como favoritos en común al instante, y tu perfil de gustos y tus rasgos dejan de usarlos en 15 minutos. Los archivos que importaste (Letterboxd, Goodreads) y los títulos que añadiste tú no se ven afectados.",
  },
  interests: {
    holds: "Tus aficiones, comunidades, lo que buscas (objetivos) y tu franja de edad.",
    whenOff: "Las coincidencias y los motivos dejan de usar tus intereses al instante.",
  },
  behaviour: {
    holds:
      "Cómo usas descubrir: tiempo en las tarjetas, deslizamientos y clics, y los «más / menos como esta» que ajustan tus sugerencias.",
    whenOff:
      "Desde ese instante no guardamos impresiones, tiempo en las tarjetas ni clics sobre ti, y tus reacciones dejan de entrenar las sugerencias: ninguna mientras esté desactivado, y las que hagas mientras lo esté, nunca. Los descartes, solicitudes de conexión, aceptaciones y bloqueos se siguen guardando, para que las personas con las que ya interactuaste no vuelvan a aparecer.",
  },
  location: {
    holds: "Tu ciudad y ubicación aproximada (redondeada a unos 5 km), para la distancia y las sugerencias cercanas.",
    whenOff: "La distancia deja de usarse y mostrarse al instante.",
  },
  discoverable: {
    holds: "Si otras personas pueden verte en sus sugerencias.",
    whenOff: "Desapareces de las sugerencias de todos al instante.",
  },
  recommendations: {
    holds:
      "Sugerencias de productos hechas para ti a partir de lo que viste, añadiste al carrito y compraste en la tienda.",
    whenOff:
      "Ves solo productos populares, al instante; tu lista personal se borra y quedas fuera del próximo entrenamiento diario.",
  },
};

/** What a category holds and what switching it off does (with when), in the page's language. */
export function describeCategory(category: PrivacyCategory, locale: UiLocale): { holds: string; whenOff: string } {
  return locale === "es" ? spanish[category] : categoryDescriptions[category];
}
