package io.herald.server.runtime;

import io.herald.core.admin.AccountAdmin;
import io.herald.core.admin.AppAdmin;
import io.herald.core.admin.AuditTrail;
import io.herald.server.config.BootstrapProperties;
import io.herald.server.security.Authenticator;
import io.herald.server.security.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

import java.time.Clock;
import java.util.List;

/**
 * Makes sure the app and the ADMIN named by HERALD_BOOTSTRAP_APP / HERALD_BOOTSTRAP_ADMIN exist, before the
 * server takes requests. Idempotent; an existing app keeps its secret, an existing admin gets the given password.
 */
public final class Bootstrap implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    private final BootstrapProperties props;
    private final AppAdmin apps;
    private final AccountAdmin accounts;
    private final AuditTrail audit;
    private final Authenticator.PasswordHasher passwords;
    private final Clock clock;

    public Bootstrap(BootstrapProperties props, AppAdmin apps, AccountAdmin accounts, AuditTrail audit,
                     Authenticator.PasswordHasher passwords, Clock clock) {
        this.props = props;
        this.apps = apps;
        this.accounts = accounts;
        this.audit = audit;
        this.passwords = passwords;
        this.clock = clock;
    }

    @Override
    public void afterPropertiesSet() {
        if (props.app() != null && !props.app().isBlank()) {
            String[] kv = split(props.app(), "HERALD_BOOTSTRAP_APP");
            var existing = apps.byKey(kv[0]);
            if (existing.isEmpty()) {
                apps.create(kv[0], Secrets.hash(kv[1]), kv[0],
                        io.herald.server.security.Scope.ALL.stream().map(io.herald.server.security.Scope::apiName).sorted().toList(),
                        clock.instant());
                audit.record(clock.instant(), "bootstrap", "CREATE", "app", kv[0], "{}");
                log.info("bootstrap: created app {}", kv[0]);
            } else if (!Secrets.matches(kv[1], existing.get().secretHash())) {
                log.warn("bootstrap: app {} exists with another secret; it keeps its secret", kv[0]);
            }
        }
        if (props.admin() != null && !props.admin().isBlank()) {
            String[] kv = split(props.admin(), "HERALD_BOOTSTRAP_ADMIN");
            var existing = accounts.get(kv[0]);
            if (existing.isEmpty()) {
                accounts.create(kv[0], passwords.hash(kv[1]), "ADMIN", clock.instant());
                audit.record(clock.instant(), "bootstrap", "CREATE", "account", kv[0], "{\"role\":\"ADMIN\"}");
                log.info("bootstrap: created admin {}", kv[0]);
            } else if (!existing.get().role().equals("ADMIN") || !existing.get().active()
                    || !passwords.matches(kv[1], existing.get().passwordHash())) {
                accounts.setPassword(kv[0], passwords.hash(kv[1]), clock.instant());
                accounts.setRole(kv[0], "ADMIN", clock.instant());
                audit.record(clock.instant(), "bootstrap", "UPDATE", "account", kv[0], "{\"role\":\"ADMIN\",\"password\":\"reset\"}");
            }
        }
    }

    private static String[] split(String value, String name) {
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) throw new IllegalStateException(name + " must be <name>:<secret>");
        return new String[]{value.substring(0, colon), value.substring(colon + 1)};
    }
}
