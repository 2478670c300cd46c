package io.herald.postgres;

import io.herald.core.cache.ReadCache;
import io.herald.core.template.TemplateDefinition;
import io.herald.core.template.TemplateState;
import io.herald.core.template.TemplateStore;
import io.herald.core.template.TemplateVersion;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static io.herald.postgres.Sql.instant;
import static io.herald.postgres.Sql.ts;

/**
 * Templates and their immutable versions in PostgreSQL (tables {@code templates} and {@code template_versions}).
 *
 * <h2>Writes</h2>
 * Each management method is one transaction, and joins the caller's when there is one, so the caller can write its
 * audit entry in the same transaction. Versions are never rewritten: saving makes a new version, and publishing
 * changes only states (the previous PUBLISHED version becomes ARCHIVED) and {@code templates.published_version}.
 * Concurrent writers of one key serialise on its {@code templates} row.
 *
 * <h2>Reads for rendering, and their cache</h2>
 * {@link #published} and {@link #version} are on every templated send, so their answers (found or not) are kept
 * in memory for {@code ttl}. A write through this store drops the key's entries once its transaction commits,
 * so this process sees its own publish at once; another process (a second API node) sees it within {@code ttl}.
 * That bound is the price of not reading the database on every send. A zero ttl turns the cache off.
 */
public final class PostgresTemplateStore implements TemplateStore {

    /** Default staleness bound across processes. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(5);

    private static final int MAX_CACHED = 10_000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    private record VersionKey(String key, int version) {
    }

    /** Answers found or not: a client naming an unknown key is answered from the cache too. */
    private final ReadCache<String, Optional<TemplateVersion>> publishedCache;
    private final ReadCache<VersionKey, Optional<TemplateVersion>> versionCache;
    private final List<Consumer<String>> changeListeners = new CopyOnWriteArrayList<>();

    public PostgresTemplateStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this(jdbc, tx, DEFAULT_CACHE_TTL, System::nanoTime);
    }

    public PostgresTemplateStore(JdbcTemplate jdbc, TransactionTemplate tx, Duration ttl, LongSupplier nanoTime) {
        if (ttl.isNegative()) throw new IllegalArgumentException("ttl must not be negative");
        this.jdbc = jdbc;
        this.tx = tx;
        this.publishedCache = new ReadCache<>(ttl, MAX_CACHED, nanoTime);
        this.versionCache = new ReadCache<>(ttl, MAX_CACHED, nanoTime);
    }

    /** A template and its version numbers. */
    public record TemplateSummary(String key, String name, Integer publishedVersion, int latestVersion, String createdBy,
                                  Instant createdAt, Instant updatedAt) {
    }

    /** A version with when it was last published (null when never). */
    public record VersionInfo(TemplateVersion version, Instant publishedAt) {
        public int number() {
            return version.version();
        }

        public TemplateState state() {
            return version.state();
        }
    }

    /** What {@code GET /v1/templates/{key}} shows: the template, its published version (or null) and its latest. */
    public record TemplateDetail(TemplateSummary summary, VersionInfo published, VersionInfo latest) {
    }

    /**
     * The outcome of a publish.
     *
     * @param previous the version that was published before, or null
     * @param changed  false when the version was already the published one (nothing was written)
     */
    public record Publication(VersionInfo published, Integer previous, boolean changed) {
    }

    /** Calls {@code listener} with the key after every committed change of a template (create, new version, publish). */
    public void onChange(Consumer<String> listener) {
        changeListeners.add(Objects.requireNonNull(listener));
    }

    // ---------------------------------------------------------------- management

    /**
     * Creates the template with its definition as version 1, a DRAFT.
     *
     * @return the new version, or empty when the key exists already
     */
    public Optional<VersionInfo> create(TemplateDefinition definition, String actor, Instant now) {
        return tx.execute(s -> {
            int inserted = jdbc.update("""
                    INSERT INTO templates (key, name, created_at, created_by, published_version, updated_at)
                    VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT (key) DO NOTHING""",
                    definition.key(), nameOf(definition), ts(now), actor, ts(now));
            if (inserted == 0) return Optional.<VersionInfo>empty();
            insertVersion(definition, 1, actor, now);
            afterCommit(definition.key());
            return Optional
                    .of(new VersionInfo(new TemplateVersion(definition.key(), 1, definition, TemplateState.DRAFT, actor, now), null));
        });
    }

    /**
     * Saves {@code definition} as the next version of {@code key}, a DRAFT; the published version stays as it is.
     *
     * @return the new version, or empty when the template does not exist
     */
    public Optional<VersionInfo> newDraft(String key, TemplateDefinition definition, String actor, Instant now) {
        if (!key.equals(definition.key())) throw new IllegalArgumentException("definition key " + definition.key() + " is not " + key);
        return tx.execute(s -> {
            if (!lock(key)) return Optional.<VersionInfo>empty();
            Integer latest = jdbc.queryForObject("SELECT max(version) FROM template_versions WHERE key = ?", Integer.class, key);
            int next = (latest == null ? 0 : latest) + 1;
            insertVersion(definition, next, actor, now);
            jdbc.update("UPDATE templates SET name = ?, updated_at = ? WHERE key = ?", nameOf(definition), ts(now), key);
            afterCommit(key);
            return Optional.of(new VersionInfo(new TemplateVersion(key, next, definition, TemplateState.DRAFT, actor, now), null));
        });
    }

    /**
     * Makes {@code version} the published one: the version published before (if any) becomes ARCHIVED. Publishing an
     * older version is how a rollback is done. Publishing the version that is already published changes nothing.
     *
     * @return empty when the template or version does not exist
     */
    public Optional<Publication> publish(String key, int version, String actor, Instant now) {
        return tx.execute(s -> {
            if (!lock(key)) return Optional.<Publication>empty();
            Optional<VersionInfo> target = loadVersion(key, version);
            if (target.isEmpty()) return Optional.<Publication>empty();
            Integer previous = jdbc.queryForObject("SELECT published_version FROM templates WHERE key = ?", Integer.class, key);
            if (previous != null && previous == version) {
                return Optional.of(new Publication(target.get(), previous, false));
            }
            jdbc.update("UPDATE template_versions SET state = 'ARCHIVED' WHERE key = ? AND state = 'PUBLISHED'", key);
            jdbc.update("UPDATE template_versions SET state = 'PUBLISHED', published_at = ? WHERE key = ? AND version = ?",
                    ts(now), key, version);
            jdbc.update("UPDATE templates SET published_version = ?, updated_at = ? WHERE key = ?", version, ts(now), key);
            afterCommit(key);
            TemplateVersion v = target.get().version();
            return Optional.of(new Publication(new VersionInfo(new TemplateVersion(key, version, v.definition(),
                    TemplateState.PUBLISHED, v.createdBy(), v.createdAt()), now), previous, true));
        });
    }

    /** Templates ordered by key, starting after {@code afterKey} (null for the first page). */
    public List<TemplateSummary> list(String afterKey, int limit) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("""
                SELECT t.key, t.name, t.published_version,
                       (SELECT max(v.version) FROM template_versions v WHERE v.key = t.key), t.created_by, t.created_at, t.updated_at
                FROM templates t""");
        if (afterKey != null) {
            sql.append(" WHERE t.key > ?");
            args.add(afterKey);
        }
        sql.append(" ORDER BY t.key LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), SUMMARY, args.toArray());
    }

    /** Every version of {@code key}, oldest first; empty when the template does not exist. */
    public List<VersionInfo> versions(String key) {
        return jdbc.query(VERSION_SELECT + " WHERE key = ? ORDER BY version", VERSION, key);
    }

    /** The template with its published and latest versions. */
    public Optional<TemplateDetail> get(String key) {
        Optional<TemplateSummary> summary = jdbc.query("""
                SELECT t.key, t.name, t.published_version,
                       (SELECT max(v.version) FROM template_versions v WHERE v.key = t.key), t.created_by, t.created_at, t.updated_at
                FROM templates t WHERE t.key = ?""", SUMMARY, key).stream().findFirst();
        return summary.map(t -> {
            VersionInfo latest = loadVersion(key, t.latestVersion()).orElseThrow();
            VersionInfo published = t.publishedVersion() == null
                    ? null
                    : t.publishedVersion() == t.latestVersion() ? latest : loadVersion(key, t.publishedVersion()).orElseThrow();
            return new TemplateDetail(t, published, latest);
        });
    }

    /** That version with its publication time, straight from the database. */
    public Optional<VersionInfo> versionInfo(String key, int version) {
        return loadVersion(key, version);
    }

    // ---------------------------------------------------------------- rendering (TemplateStore), cached

    @Override
    public Optional<TemplateVersion> published(String key) {
        return publishedCache.get(key, k -> jdbc.query(VERSION_SELECT + " WHERE key = ? AND state = 'PUBLISHED'", VERSION, key)
                .stream().findFirst().map(VersionInfo::version));
    }

    @Override
    public Optional<TemplateVersion> version(String key, int version) {
        return versionCache.get(new VersionKey(key, version), k -> loadVersion(key, version).map(VersionInfo::version));
    }

    /** Drops what this process cached for {@code key}. */
    public void invalidate(String key) {
        publishedCache.invalidate(key);
        versionCache.invalidateIf(k -> k.key().equals(key));
    }

    // ---------------------------------------------------------------- internals

    /** Locks the template's row for the rest of the transaction; false when it does not exist. */
    private boolean lock(String key) {
        return !jdbc.queryForList("SELECT key FROM templates WHERE key = ? FOR UPDATE", String.class, key).isEmpty();
    }

    private void insertVersion(TemplateDefinition d, int version, String actor, Instant now) {
        jdbc.update("""
                INSERT INTO template_versions (key, version, definition, state, created_by, created_at, published_at)
                VALUES (?, ?, ?::jsonb, 'DRAFT', ?, ?, NULL)""", d.key(), version, TemplateJson.write(d), actor, ts(now));
    }

    private Optional<VersionInfo> loadVersion(String key, int version) {
        return jdbc.query(VERSION_SELECT + " WHERE key = ? AND version = ?", VERSION, key, version).stream().findFirst();
    }

    /** Invalidates now (this transaction's own reads) and again after commit (everyone's), then tells the listeners. */
    private void afterCommit(String key) {
        invalidate(key);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    changed(key);
                }
            });
        } else {
            changed(key);
        }
    }

    private void changed(String key) {
        invalidate(key);
        for (Consumer<String> l : changeListeners) l.accept(key);
    }

    private static String nameOf(TemplateDefinition d) {
        return d.name() == null || d.name().isBlank() ? d.key() : d.name();
    }

    private static final String VERSION_SELECT = "SELECT key, version, definition::text, state, created_by, created_at, published_at FROM template_versions";

    private static final RowMapper<VersionInfo> VERSION = (rs, i) -> new VersionInfo(new TemplateVersion(rs.getString(1),
            rs.getInt(2), TemplateJson.read(rs.getString(3)), TemplateState.valueOf(rs.getString(4)), rs.getString(5),
            instant(rs.getTimestamp(6))), instant(rs.getTimestamp(7)));

    private static final RowMapper<TemplateSummary> SUMMARY = (rs, i) -> new TemplateSummary(rs.getString(1), rs.getString(2),
            (Integer) rs.getObject(3), rs.getInt(4), rs.getString(5), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)));
}
