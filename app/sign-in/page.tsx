import { SignInPage } from "@/app/components/SignInPage";

export const metadata = { title: "Sign in · Mesh Discovery" };

export default function SignIn() {
  return (
    <main>
      <SignInPage />
    </main>
  );
}
