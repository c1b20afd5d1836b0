-- OAuth authorization requests in flight (Spotify, PKCE): the state we sent and the sealed code
-- verifier, kept until the callback consumes them or they expire (10 minutes). Server-only.
CREATE TABLE oauth_states (
  state text PRIMARY KEY CHECK (char_length(state) BETWEEN 16 AND 128),
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  service text NOT NULL CHECK (service IN ('spotify')),
  verifier_sealed text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL DEFAULT now() + interval '10 minutes'
);
CREATE INDEX oauth_states_user_idx ON oauth_states (user_id);

ALTER TABLE oauth_states ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON oauth_states FROM anon, authenticated;
GRANT ALL ON oauth_states TO service_role;
