-- Sign-in attempts on names that are no staff account's are counted and
-- locked out like an account's (five wrong in a row lock for 5 minutes,
-- then 10, 20...), so that neither the words nor the time of a refusal
-- tell a guesser which names exist. A name is kept only as its stretched
-- hash: scrypt of the name folded to one case, salted with name_key, at
-- the work factor the staff passphrases are wrapped with (what one sign-in
-- spends anyway), so the table gives up what was typed (a passphrase typed
-- into the name field) no faster than a wrapped key gives up a passphrase.
CREATE TABLE name_guard (
    one         INTEGER PRIMARY KEY CHECK (one = 1),
    name_key    BLOB NOT NULL,             -- 32 random bytes, made once (s.rand)
    work_factor INTEGER NOT NULL           -- scrypt log2 N of the name hash
) STRICT;

CREATE TABLE unknown_names (
    name_hash    BLOB PRIMARY KEY,         -- scrypt(folded name, name_key)
    failures     INTEGER NOT NULL DEFAULT 0,
    lockouts     INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT
) STRICT;
