import type { Locale } from "../i18n/locales";

/** Why a room or a person is suggested, before it is put in words. */
export type RoomReason =
  | { kind: "invited" }
  | { kind: "people_who_love"; count: number; title: string }
  | { kind: "connections_inside"; count: number }
  | { kind: "similar_taste" }
  | { kind: "just_opened" }
  | { kind: "lively"; count: number }
  | { kind: "close_to_room" };

/** Renders a reason in the viewer's language; titles are quoted as stored. */
export function renderRoomReason(r: RoomReason, locale: Locale): string {
  const es = locale === "es";
  switch (r.kind) {
    case "invited":
      return es ? "Te han invitado" : "You're invited";
    case "people_who_love":
      if (r.count === 1)
        return es ? `Aquí hay alguien a quien le encanta ${r.title}` : `1 person who loves ${r.title} is here`;
      return es
        ? `Aquí hay ${r.count} personas a las que les encanta ${r.title}`
        : `${r.count} people who love ${r.title} are here`;
    case "connections_inside":
      if (r.count === 1) return es ? "Uno de tus contactos está aquí" : "1 of your connections is here";
      return es ? `${r.count} de tus contactos están aquí` : `${r.count} of your connections are here`;
    case "similar_taste":
      return es ? "Encaja con tus gustos" : "Matches your taste";
    case "just_opened":
      return es ? "Acaba de abrir" : "Just opened";
    case "lively":
      return es ? `Animada: ${r.count} personas dentro` : `Lively: ${r.count} people inside`;
    case "close_to_room":
      return es ? "Sus gustos encajan con los de la sala" : "Close to this room's taste";
  }
}
