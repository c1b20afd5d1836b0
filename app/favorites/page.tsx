import { FavoritesPage } from "@/app/components/FavoritesPage";

export const metadata = { title: "Favorites · Mesh Discovery" };

export default function Favorites() {
  return (
    <main>
      <FavoritesPage />
    </main>
  );
}
