package io.herald.server.api;

import io.herald.core.engagement.EngagementStore;
import io.herald.core.engagement.TrackingSettings;
import io.herald.server.engagement.EngagementCaches;
import io.herald.server.http.Checks;
import io.herald.server.http.FieldLimits;
import io.herald.server.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.List;
import java.util.TreeSet;

/** Open and click tracking of the calling app: on or off, and off for some templates (e.g. password resets). */
@RestController
@RequestMapping("/v1/tracking")
public class TrackingSettingsController {

    static final int MAX_TEMPLATES = 500;

    public record Tracking(Boolean enabled, List<String> disabledTemplates) {
    }

    private final EngagementStore store;
    private final EngagementCaches caches;
    private final Clock clock;

    public TrackingSettingsController(EngagementStore store, EngagementCaches caches, Clock clock) {
        this.store = store;
        this.caches = caches;
        this.clock = clock;
    }

    @GetMapping
    @ProblemResponses({400, 401, 403, 404, 429, 503})
    public Tracking get(HttpServletRequest req) {
        return view(store.forApp(Callers.app(req).id()));
    }

    @PutMapping
    @ProblemResponses({400, 401, 403, 404, 409, 413, 415, 422, 429, 503})
    public Tracking put(@RequestBody Tracking body, HttpServletRequest req) {
        long app = Callers.app(req).id();
        Checks c = new Checks();
        if (body == null || body.enabled() == null) c.add("enabled", "is required (true or false)");
        List<String> templates = body == null || body.disabledTemplates() == null ? List.of() : body.disabledTemplates();
        if (templates.size() > MAX_TEMPLATES) c.add("disabledTemplates", "must list at most " + MAX_TEMPLATES + " templates");
        for (int i = 0; i < templates.size() && i < MAX_TEMPLATES; i++) {
            String t = templates.get(i);
            if (t == null || t.isBlank()) c.add("disabledTemplates[" + i + "]", "must be a template key");
            else
                c.maxLength("disabledTemplates[" + i + "]", t, FieldLimits.TEMPLATE_KEY);
        }
        c.throwIfAny();
        var settings = new TrackingSettings.Settings(body.enabled(), new TreeSet<>(templates));
        store.saveSettings(app, settings, clock.instant());
        caches.settingsChanged(app);
        return view(settings);
    }

    private static Tracking view(TrackingSettings.Settings s) {
        return new Tracking(s.enabled(), s.disabledTemplates().stream().sorted().toList());
    }
}
