import { RequireSession } from "@/app/components/RequireSession";
import { WelcomePage } from "@/app/components/WelcomePage";

export const metadata = { title: "Welcome · Mesh Discovery" };

export default function Welcome() {
  return (
    <main>
      <RequireSession>
        <WelcomePage />
      </RequireSession>
    </main>
  );
}
