package io.herald.server.console;

import io.herald.core.admin.AppAdmin;
import io.herald.server.http.ApiProblem;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Which client app a support page looks at. Operators see every app, but each query still runs inside one
 * app (the same scoped queries the API uses), chosen in the page's app selector.
 */
@Component
class ConsoleApps {

    private final AppAdmin apps;

    ConsoleApps(AppAdmin apps) {
        this.apps = apps;
    }

    List<AppAdmin.AppRow> all() {
        return apps.all();
    }

    /** The named app, or the first active one when none is named; empty only when there is no app at all. */
    java.util.Optional<AppAdmin.AppRow> chosen(String appKey) {
        if (appKey != null && !appKey.isBlank()) {
            return java.util.Optional.of(apps.byKey(appKey).orElseThrow(() -> ApiProblem.notFound("app " + appKey)));
        }
        return apps.all().stream().filter(AppAdmin.AppRow::active).findFirst().or(() -> apps.all().stream().findFirst());
    }

    AppAdmin.AppRow require(String appKey) {
        return apps.byKey(appKey).orElseThrow(() -> ApiProblem.notFound("app " + appKey));
    }
}
