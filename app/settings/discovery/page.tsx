import { PrivacyDashboard } from "@/app/components/PrivacyDashboard";

export const metadata = { title: "Privacy · Mesh Discovery" };

export default function DiscoverySettings() {
  return (
    <main>
      <PrivacyDashboard />
    </main>
  );
}
