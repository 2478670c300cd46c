package io.herald.server.wiring;

import io.herald.postgres.HeraldDatabase;
import io.herald.server.config.DatabaseProperties;
import io.herald.server.config.NodeProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationContextInitializedEvent;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts the database (embedded PostgreSQL, pools, migrations) on a thread of its own as soon as the configuration is
 * read, so that it runs beside the context's start instead of in the middle of it; the {@code heraldDatabase} bean
 * waits for it, so readiness still means a database up and a schema current. Added by {@code main} only: tests build
 * their contexts without it and start the database in the bean, as before.
 */
public final class EarlyDatabase implements DisposableBean {

    static final String BEAN_NAME = "heraldEarlyDatabase";
    private static final Logger log = LoggerFactory.getLogger(EarlyDatabase.class);

    private final HeraldDatabase.Settings settings;
    private final CompletableFuture<HeraldDatabase> database = new CompletableFuture<>();
    private final AtomicBoolean taken = new AtomicBoolean();

    private EarlyDatabase(HeraldDatabase.Settings settings) {
        this.settings = settings;
        Thread.ofPlatform().name("herald-database-start").daemon().start(() -> {
            long t0 = System.nanoTime();
            try {
                database.complete(HeraldDatabase.start(settings));
                log.info("database ready in {} ms, beside the context's start", (System.nanoTime() - t0) / 1_000_000);
            } catch (Throwable e) {
                database.completeExceptionally(e);
            }
        });
    }

    /** The listener {@code main} adds to the application. */
    public static ApplicationListener<SpringApplicationEvent> listener() {
        return new Listener();
    }

    /**
     * The database started for these settings, which the caller owns from now on; null when it was started for other
     * settings (then it is closed here). A failed start throws what the start threw.
     */
    HeraldDatabase take(HeraldDatabase.Settings wanted) {
        if (!taken.compareAndSet(false, true)) return null;
        HeraldDatabase db;
        try {
            db = database.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
        if (settings.equals(wanted)) return db;
        log.warn("the database started early was for other settings: starting it again");
        db.close();
        return null;
    }

    CompletableFuture<HeraldDatabase> started() {
        return database;
    }

    /** Closes the database when no bean took it (the context failed before it, or was closed). */
    @Override
    public void destroy() {
        if (!taken.compareAndSet(false, true)) return;
        HeraldDatabase db = database.handle((started, failure) -> started).join();
        if (db != null) db.close();
    }

    private void destroyQuietly() {
        try {
            destroy();
        } catch (RuntimeException e) {
            log.debug("early database start failed: {}", e.toString());
        }
    }

    private static final class Listener implements ApplicationListener<SpringApplicationEvent> {
        private EarlyDatabase early;

        @Override
        public void onApplicationEvent(SpringApplicationEvent event) {
            switch (event) {
                case ApplicationEnvironmentPreparedEvent e -> early = start(e.getEnvironment());
                case ApplicationContextInitializedEvent e when early != null -> {
                    var beans = e.getApplicationContext().getBeanFactory();
                    beans.registerSingleton(BEAN_NAME, early);
                    beans.registerDependentBean(BEAN_NAME, "heraldDatabase");
                }
                case ApplicationFailedEvent ignored when early != null -> early.destroyQuietly();
                default -> {
                }
            }
        }

        /** Null when the configuration does not bind: the bean reports that as it always did. */
        private static EarlyDatabase start(Environment env) {
            try {
                Binder binder = Binder.get(env);
                var db = binder.bindOrCreate("herald.db", DatabaseProperties.class);
                var node = binder.bindOrCreate("herald", NodeProperties.class);
                return new EarlyDatabase(HeraldConfiguration.databaseSettings(db, node, env));
            } catch (RuntimeException e) {
                log.debug("database not started early: {}", e.toString());
                return null;
            }
        }
    }
}
