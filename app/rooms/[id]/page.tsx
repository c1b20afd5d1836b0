import { RequireSession } from "@/app/components/RequireSession";
import { RoomPage } from "@/app/components/RoomPage";

export const metadata = { title: "Room · Mesh Discovery" };

export default async function Room({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <main>
      <RequireSession>
        <RoomPage id={id} />
      </RequireSession>
    </main>
  );
}
