package io.herald.server.api;

import io.herald.core.model.Target;
import io.herald.postgres.JsonCodec;
import io.herald.postgres.PostgresUserStore;
import io.herald.postgres.PreferencesJson;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Users of the calling app: contacts, devices and preferences. */
@RestController
@RequestMapping("/v1/users/{userId}")
public class UsersController {

    private final PostgresUserStore users;
    private final io.herald.server.runtime.CachedUserDirectory cache;
    private final Clock clock;
    private final io.herald.core.net.OutboundGuard guard;

    public UsersController(PostgresUserStore users, io.herald.server.runtime.CachedUserDirectory cache, Clock clock,
                           io.herald.core.net.OutboundGuard guard) {
        this.guard = guard;
        this.users = users;
        this.cache = cache;
        this.clock = clock;
    }

    public record UserBody(String email, String phone, String locale, String timezone, Map<String, Object> attributes) {
    }

    @PutMapping
    public ResponseEntity<Map<String, Object>> put(@PathVariable String userId, @RequestBody UserBody body, HttpServletRequest req) {
        long app = Callers.app(req).id();
        Checks.id("userId", userId);
        if (body == null) throw ApiProblem.invalid("body", "is required");
        Checks c = new Checks();
        String email = c.email("email", body.email());
        String phone = c.phone("phone", body.phone());
        String locale = c.locale("locale", body.locale());
        String tz = c.timezone("timezone", body.timezone());
        c.throwIfAny();
        String attrs = body.attributes() == null ? null : JsonCodec.MAPPER.writeValueAsString(body.attributes());
        boolean created = users.upsert(app, userId, email, phone, locale, tz, attrs, clock.instant());
        cache.invalidate(app, userId);
        return ResponseEntity.status(created ? 201 : 200).body(user(users.get(app, userId).orElseThrow()));
    }

    @GetMapping
    public Map<String, Object> get(@PathVariable String userId, HttpServletRequest req) {
        return user(users.get(Callers.app(req).id(), userId).orElseThrow(() -> ApiProblem.notFound("user " + userId)));
    }

    @DeleteMapping
    public ResponseEntity<Void> delete(@PathVariable String userId, HttpServletRequest req) {
        long app = Callers.app(req).id();
        if (!users.erase(app, userId, clock.instant())) throw ApiProblem.notFound("user " + userId);
        cache.invalidate(app, userId);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/devices")
    public ResponseEntity<Map<String, Object>> addDevice(@PathVariable String userId, @RequestBody SendBodies.DeviceBody body, HttpServletRequest req) {
        long app = Callers.app(req).id();
        Checks.id("userId", userId);
        if (body == null) throw ApiProblem.invalid("body", "is required");
        Checks c = new Checks();
        Target.Device d = SendMapper.device(body, "", c, null, guard);
        c.throwIfAny();
        var reg = users.registerDevice(app, userId, d.platform(), d.token(), d.subscription(), clock.instant());
        cache.invalidate(app, userId);
        return ResponseEntity.status(reg.getValue() ? 201 : 200).body(device(reg.getKey()));
    }

    @GetMapping("/devices")
    public Map<String, Object> devices(@PathVariable String userId, HttpServletRequest req) {
        long app = Callers.app(req).id();
        if (users.get(app, userId).isEmpty()) throw ApiProblem.notFound("user " + userId);
        return Map.of("items", users.devices(app, userId).stream().map(UsersController::device).toList());
    }

    @DeleteMapping("/devices/{deviceId}")
    public ResponseEntity<Void> deleteDevice(@PathVariable String userId, @PathVariable UUID deviceId, HttpServletRequest req) {
        long app = Callers.app(req).id();
        if (!users.deleteDevice(app, userId, deviceId)) throw ApiProblem.notFound("device " + deviceId);
        cache.invalidate(app, userId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/preferences")
    public JsonNode preferences(@PathVariable String userId, HttpServletRequest req) {
        var u = users.get(Callers.app(req).id(), userId).orElseThrow(() -> ApiProblem.notFound("user " + userId));
        return JsonCodec.MAPPER.readTree(PreferencesJson.write(PreferencesJson.parse(u.preferencesJson())));
    }

    @PutMapping("/preferences")
    @SuppressWarnings("unchecked")
    public JsonNode putPreferences(@PathVariable String userId, @RequestBody Map<String, Object> body, HttpServletRequest req) {
        long app = Callers.app(req).id();
        io.herald.core.preference.Preferences p;
        try {
            p = io.herald.core.preference.PreferencesDocument.parse(body == null ? Map.of() : body);
        } catch (io.herald.core.preference.InvalidPreferencesException e) {
            throw ApiProblem.invalid(e.problems().stream().map(x -> new ApiProblem.FieldError(x.field(), x.message())).toList());
        }
        String json = PreferencesJson.write(p);
        if (!users.savePreferences(app, userId, json, clock.instant())) throw ApiProblem.notFound("user " + userId);
        cache.invalidate(app, userId);
        return JsonCodec.MAPPER.readTree(json);
    }

    private static Map<String, Object> user(PostgresUserStore.UserRow u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userId", u.userId());
        m.put("email", u.email());
        m.put("phone", u.phone());
        m.put("locale", u.locale());
        m.put("timezone", u.timezone());
        m.put("attributes", JsonCodec.MAPPER.readTree(u.attributesJson()));
        m.put("createdAt", u.createdAt());
        m.put("updatedAt", u.updatedAt());
        return m;
    }

    private static Map<String, Object> device(PostgresUserStore.DeviceRow d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deviceId", d.id());
        m.put("platform", d.platform());
        if (d.token() != null) m.put("token", d.token());
        if (d.subscription() != null) m.put("subscription", JsonCodec.subscription(d.subscription()));
        m.put("active", d.active());
        m.put("registeredAt", d.registeredAt());
        if (d.deactivatedAt() != null) m.put("deactivatedAt", d.deactivatedAt());
        return m;
    }

}
