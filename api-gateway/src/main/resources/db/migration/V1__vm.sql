-- VM records. Portable between H2 and PostgreSQL: UUID, VARCHAR without length (unbounded on both) and
-- TIMESTAMP WITH TIME ZONE exist in both.
CREATE TABLE vm (
    id              UUID                     NOT NULL PRIMARY KEY,
    name            VARCHAR(63)              NOT NULL,
    definition_json VARCHAR                  NOT NULL,
    state           VARCHAR(16)              NOT NULL,
    state_reason    VARCHAR(8000),
    gpus_json       VARCHAR,
    engine_pid      BIGINT,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT vm_name_unique UNIQUE (name)
);

CREATE INDEX vm_state ON vm (state);
