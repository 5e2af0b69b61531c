-- The clinic network's server: a hub of sealed items, never the place of
-- truth (every kiosk and desk keeps its own SQLite). Run by `kioskctl
-- network setup` as the database's owner; safe to run again.
CREATE SCHEMA IF NOT EXISTS kiosk;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{{nodes}}') THEN
        CREATE ROLE {{nodes}} NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{{desks}}') THEN
        CREATE ROLE {{desks}} NOLOGIN;
    END IF;
END
$$;

-- The kiosks and desks, each its own PostgreSQL role (db_role). verify_key
-- checks its items' signatures; endorsement is the clinic's site key's
-- signature over its name, role, writer and verify_key, made at join by
-- an administrator: a node trusts another only through it, so the server
-- cannot slip in a node of its own.
CREATE TABLE IF NOT EXISTS kiosk.nodes (
    name         text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9-]{0,30}$'),
    role         text NOT NULL CHECK (role IN ('kiosk', 'desk')),
    db_role      text NOT NULL UNIQUE,
    writer       uuid NOT NULL UNIQUE,
    verify_key   bytea NOT NULL CHECK (length(verify_key) = 32),
    site_key     bytea NOT NULL CHECK (length(site_key) = 32),
    endorsement  bytea NOT NULL CHECK (length(endorsement) = 64),
    joined       timestamptz NOT NULL DEFAULT now(),
    revoked      timestamptz,
    last_contact timestamptz,
    node_clock   timestamptz,
    pending      integer NOT NULL DEFAULT 0,
    pulled       bigint NOT NULL DEFAULT 0
);

-- What nodes pushed, in the order the server committed it (hub). Each item
-- is one session or patient whole and sealed (body: its JSON, as a bundle's
-- line), an acknowledgement of an alert or one of the clinic's settings; numbered 1, 2, 3… per node and
-- kind (n) and signed by the node, so a node that reads them all sees one
-- left out, replayed, changed or out of order.
CREATE SEQUENCE IF NOT EXISTS kiosk.hub_seq;
CREATE TABLE IF NOT EXISTS kiosk.items (
    hub       bigint PRIMARY KEY,
    node      text NOT NULL REFERENCES kiosk.nodes (name),
    kind      text NOT NULL CHECK (kind IN ('session', 'patient', 'ack', 'setting')),
    n         bigint NOT NULL CHECK (n > 0),
    id        text NOT NULL CHECK (length(id) <= 64),
    origin    text NOT NULL,
    urgent    boolean NOT NULL,
    made      timestamptz NOT NULL,
    received  timestamptz NOT NULL DEFAULT now(),
    digest    bytea NOT NULL CHECK (length(digest) = 32),
    body      bytea NOT NULL,
    signature bytea NOT NULL CHECK (length(signature) = 64),
    UNIQUE (node, kind, n)
);
CREATE INDEX IF NOT EXISTS items_same ON kiosk.items (kind, id, digest);
-- bodies are sealed (they do not compress) and kept as they are, so what
-- the server's files hold is what a scan for clear text reads
ALTER TABLE kiosk.items ALTER COLUMN body SET STORAGE EXTERNAL;

-- A node adds only through push, as itself, never deleting or changing:
-- the same item again (a retry after a timeout, a copy another node
-- already pushed) adds nothing and gives 0; otherwise the server's
-- sequence, given under one lock so that it is the order of commits.
CREATE OR REPLACE FUNCTION kiosk.push(p_kind text, p_n bigint, p_id text, p_origin text, p_urgent boolean,
    p_made timestamptz, p_digest bytea, p_body bytea, p_signature bytea)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = kiosk, pg_temp AS $$
DECLARE
    me   kiosk.nodes;
    last bigint;
    h    bigint;
BEGIN
    SELECT * INTO me FROM kiosk.nodes WHERE db_role = session_user;
    IF NOT FOUND OR me.revoked IS NOT NULL THEN
        RAISE EXCEPTION 'role % is not a node of this clinic network, or it was revoked', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (SELECT 1 FROM kiosk.items WHERE kind = p_kind AND id = p_id AND digest = p_digest) THEN
        RETURN 0;
    END IF;
    PERFORM pg_advisory_xact_lock(74110014);
    -- the newest by the index (coalesce(max(n)) would read them all)
    SELECT n INTO last FROM kiosk.items WHERE node = me.name AND kind = p_kind ORDER BY n DESC LIMIT 1;
    last := coalesce(last, 0);
    IF p_n <> last + 1 THEN
        RAISE EXCEPTION 'item % of kind % comes after %', p_n, p_kind, last USING ERRCODE = 'serialization_failure';
    END IF;
    h := nextval('kiosk.hub_seq');
    INSERT INTO kiosk.items (hub, node, kind, n, id, origin, urgent, made, digest, body, signature)
    VALUES (h, me.name, p_kind, p_n, p_id, p_origin, p_urgent, p_made, p_digest, p_body, p_signature);
    -- one wakening per commit, however many items (the same notice is
    -- sent once)
    PERFORM pg_notify('kiosk_items', '');
    RETURN h;
END
$$;

-- Which of the items named (by kind, id and digest) the server holds
-- already, by their place (1-based): a push numbers only the others.
CREATE OR REPLACE FUNCTION kiosk.held(p_kinds text[], p_ids text[], p_digests bytea[]) RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = kiosk, pg_temp AS $$
    SELECT i FROM generate_subscripts(p_kinds, 1) AS i
    WHERE EXISTS (SELECT 1 FROM kiosk.items x WHERE x.kind = p_kinds[i] AND x.id = p_ids[i] AND x.digest = p_digests[i])
$$;

-- The last number of each kind this node pushed.
CREATE OR REPLACE FUNCTION kiosk.numbers() RETURNS TABLE (kind text, n bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = kiosk, pg_temp AS $$
    SELECT k.kind, last.n FROM kiosk.nodes d
    CROSS JOIN (VALUES ('session'), ('patient'), ('ack'), ('setting')) AS k (kind)
    CROSS JOIN LATERAL (SELECT i.n FROM kiosk.items i WHERE i.node = d.name AND i.kind = k.kind ORDER BY i.n DESC LIMIT 1) AS last
    WHERE d.db_role = session_user
$$;

-- A node says it is there: its clock, what it has not pushed yet, where
-- it has pulled to (kioskctl network status shows them).
CREATE OR REPLACE FUNCTION kiosk.contact(p_clock timestamptz, p_pending integer, p_pulled bigint)
RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = kiosk, pg_temp AS $$
    UPDATE kiosk.nodes SET last_contact = now(), node_clock = p_clock, pending = p_pending, pulled = p_pulled
    WHERE db_role = session_user AND revoked IS NULL
$$;

-- only this clinic's nodes (and the owner) connect to its database; the
-- roles are named for it, so two clinics on one server stay apart
REVOKE CONNECT, TEMPORARY ON DATABASE {{database}} FROM PUBLIC;
GRANT CONNECT ON DATABASE {{database}} TO {{nodes}};
REVOKE ALL ON SCHEMA kiosk FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA kiosk FROM PUBLIC;
REVOKE ALL ON FUNCTION kiosk.push(text, bigint, text, text, boolean, timestamptz, bytea, bytea, bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION kiosk.numbers() FROM PUBLIC;
REVOKE ALL ON FUNCTION kiosk.held(text[], text[], bytea[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION kiosk.contact(timestamptz, integer, bigint) FROM PUBLIC;
GRANT USAGE ON SCHEMA kiosk TO {{nodes}};
GRANT EXECUTE ON FUNCTION kiosk.push(text, bigint, text, text, boolean, timestamptz, bytea, bytea, bytea) TO {{nodes}};
GRANT EXECUTE ON FUNCTION kiosk.numbers() TO {{nodes}};
GRANT EXECUTE ON FUNCTION kiosk.held(text[], text[], bytea[]) TO {{nodes}};
GRANT EXECUTE ON FUNCTION kiosk.contact(timestamptz, integer, bigint) TO {{nodes}};
GRANT SELECT ON kiosk.nodes TO {{nodes}};
GRANT SELECT ON kiosk.items TO {{nodes}};

-- Desks read everything; a kiosk reads the returning patients (their code
-- hashes and sealed records, for check-ins), the clinic's settings and
-- the acknowledgements of its own sessions' alerts.
ALTER TABLE kiosk.items ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS desks_read ON kiosk.items;
CREATE POLICY desks_read ON kiosk.items FOR SELECT TO {{desks}} USING (true);
DROP POLICY IF EXISTS kiosks_read ON kiosk.items;
CREATE POLICY kiosks_read ON kiosk.items FOR SELECT TO {{nodes}}
    USING (kind IN ('patient', 'setting') OR (kind = 'ack' AND origin = (SELECT name FROM kiosk.nodes WHERE db_role = current_user)));
