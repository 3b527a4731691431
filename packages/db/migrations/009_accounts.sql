-- Accounts (issue 7): people who sign in to the web app, their sessions, and API keys for other
-- agencies' systems. Secrets are never stored: passwords as scrypt hashes, session tokens and key
-- secrets as SHA-256 digests (both are 256-bit random values, so a fast hash is enough for them).

-- A person. `parks` limits what they may change (and which rows' sensitive fields they see) to
-- some parks; NULL means the whole zone.
CREATE TABLE app_user (
  username       text PRIMARY KEY CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  display_name   text NOT NULL CHECK (display_name <> ''),
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('admin', 'planner', 'analyst', 'investor')),
  parks          text[],
  department     text,
  disabled       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_login_at  timestamptz
);

-- A signed-in browser. The cookie holds the token; only its digest is kept here.
CREATE TABLE app_session (
  token_sha256  text PRIMARY KEY,
  username      text NOT NULL REFERENCES app_user (username) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX app_session_user_idx ON app_session (username);

-- A key for another system. The secret is `pa_<id>_<random>`: the id finds the row, the digest checks it.
CREATE TABLE api_key (
  id                     text PRIMARY KEY CHECK (id ~ '^[a-z0-9]{8,32}$'),
  name                   text NOT NULL CHECK (name <> ''),
  secret_sha256          text NOT NULL,
  scopes                 text[] NOT NULL CHECK (scopes <@ ARRAY['read', 'read-sensitive', 'write']::text[] AND cardinality(scopes) > 0),
  parks                  text[],
  rate_limit_per_minute  integer NOT NULL DEFAULT 600 CHECK (rate_limit_per_minute BETWEEN 1 AND 1000000),
  created_by             text NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  expires_at             timestamptz,
  revoked_at             timestamptz,
  last_used_at           timestamptz
);

-- A revert is a write of its own, recorded as such in the history.
ALTER TABLE change DROP CONSTRAINT change_operation_check;
ALTER TABLE change ADD CONSTRAINT change_operation_check CHECK (operation IN ('create', 'update', 'delete', 'revert'));
