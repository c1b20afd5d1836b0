import { LivePage } from "@/app/components/LivePage";

export const metadata = { title: "Live · Mesh Discovery" };

export default function Live() {
  return (
    <main>
      <LivePage />
    </main>
  );
}
