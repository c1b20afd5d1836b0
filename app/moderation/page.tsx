import { ModerationPage } from "@/app/components/ModerationPage";

export const metadata = { title: "Moderation · Mesh Discovery" };

export default function Moderation() {
  return (
    <main>
      <ModerationPage />
    </main>
  );
}
