import type { ReactNode } from "react";
import { NavBar } from "@/app/components/NavBar";
import { Providers } from "@/app/components/Providers";

// An inline icon: without one the browser asks for /favicon.ico, a 404 in every page's console.
const icon =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="15" fill="#4338ca"/></svg>',
  );

export const metadata = {
  title: "Mesh Discovery",
  description: "Meet people through what you love.",
  icons: { icon },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body
        style={{
          fontFamily: "system-ui, sans-serif",
          margin: "0 auto",
          padding: "1.5rem",
          maxWidth: 1100,
          color: "#111827",
          background: "#f9fafb",
        }}
      >
        <Providers>
          <NavBar />
          {children}
        </Providers>
      </body>
    </html>
  );
}
