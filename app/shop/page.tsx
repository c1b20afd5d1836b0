import { ShopPage } from "@/app/components/ShopPage";

export const metadata = { title: "Shop · Mesh Discovery" };

export default function Shop() {
  return (
    <main>
      <ShopPage />
    </main>
  );
}
