-- Message templates managed by operators. A template is a key with numbered, immutable versions: saving makes a
-- new DRAFT version, publishing makes one version PUBLISHED (the one sends use) and the previous one ARCHIVED.
CREATE TABLE templates (
    key               TEXT PRIMARY KEY,
    name              TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    created_by        TEXT        NOT NULL,
    published_version INT,
    updated_at        TIMESTAMPTZ NOT NULL
);

-- definition: the template as the API takes it (name, defaultChannels, variables, content), validated and
-- normalised before it is stored. Only state and published_at of a version ever change (trigger below).
CREATE TABLE template_versions (
    key          TEXT        NOT NULL REFERENCES templates (key),
    version      INT         NOT NULL CHECK (version >= 1),
    definition   JSONB       NOT NULL,
    state        TEXT        NOT NULL CHECK (state IN ('DRAFT', 'PUBLISHED', 'ARCHIVED')),
    created_by   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    published_at TIMESTAMPTZ,
    PRIMARY KEY (key, version)
);
-- at most one published version per template
CREATE UNIQUE INDEX template_versions_one_published ON template_versions (key) WHERE state = 'PUBLISHED';

ALTER TABLE templates ADD CONSTRAINT templates_published_version_exists
    FOREIGN KEY (key, published_version) REFERENCES template_versions (key, version);

CREATE FUNCTION template_versions_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'template versions are never deleted';
    END IF;
    IF NEW.key IS DISTINCT FROM OLD.key OR NEW.version IS DISTINCT FROM OLD.version
        OR NEW.definition IS DISTINCT FROM OLD.definition OR NEW.created_by IS DISTINCT FROM OLD.created_by
        OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'template version %/% is immutable: only its state changes', OLD.key, OLD.version;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER template_versions_immutable BEFORE UPDATE OR DELETE ON template_versions
    FOR EACH ROW EXECUTE FUNCTION template_versions_are_immutable();
