import type { ReactNode } from "react";

export const metadata = { title: "Mesh Discovery", description: "Meet people through what you love." };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", margin: 0, padding: "2rem", maxWidth: 960 }}>{children}</body>
    </html>
  );
}
