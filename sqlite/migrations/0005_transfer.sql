-- Transfer bundles between a satellite site and the main clinic.
-- This site's bundle-signing key (Ed25519): the public half in clear, the
-- private half sealed to this site's clinic key, so only unlocked staff
-- sign.
CREATE TABLE site_key (
    one            INTEGER PRIMARY KEY CHECK (one = 1),
    public_key     BLOB NOT NULL,
    sealed_key     BLOB NOT NULL,          -- a data key sealed to this site's clinic key only
    sealed_private BLOB NOT NULL,          -- the private key under that data key
    created        TEXT NOT NULL
) STRICT;

-- Satellite sites whose bundles this clinic accepts, by signing key.
CREATE TABLE sites (
    name       TEXT PRIMARY KEY,
    public_key BLOB NOT NULL UNIQUE,
    added      TEXT NOT NULL
) STRICT;

-- When each session left in a bundle (export "all not yet exported"), and
-- where each imported session came from.
ALTER TABLE sessions ADD COLUMN exported TEXT;
ALTER TABLE sessions ADD COLUMN site TEXT;
