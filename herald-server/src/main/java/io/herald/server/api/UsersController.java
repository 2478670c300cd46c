package io.herald.server.api;

import io.herald.core.model.Target;
import io.herald.core.preference.InvalidPreferencesException;
import io.herald.core.preference.Preferences;
import io.herald.core.preference.PreferencesDocument;
import io.herald.core.user.UserAdmin;
import io.herald.server.api.UserResponses.Device;
import io.herald.server.api.UserResponses.Devices;
import io.herald.server.api.UserResponses.PreferencesView;
import io.herald.server.api.UserResponses.User;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.security.Callers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Users of the calling app: contacts, devices and preferences. */
@RestController
@RequestMapping("/v1/users/{userId}")
public class UsersController {

    private final UserAdmin users;
    private final JsonMapper json;
    private final io.herald.server.runtime.CachedUserDirectory cache;
    private final Clock clock;
    private final io.herald.core.net.OutboundGuard guard;

    public UsersController(UserAdmin users, io.herald.server.runtime.CachedUserDirectory cache, Clock clock,
                           io.herald.core.net.OutboundGuard guard, JsonMapper json) {
        this.json = json;
        this.guard = guard;
        this.users = users;
        this.cache = cache;
        this.clock = clock;
    }

    public record UserBody(String email, String phone, String locale, String timezone, Map<String, Object> attributes) {
    }

    @PutMapping
    @Operation(summary = "Create or update a user (201 when created)")
    @ApiResponse(responseCode = "200", description = "updated", content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = User.class)))
    @ApiResponse(responseCode = "201", description = "created", content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = User.class)))
    @ProblemResponses({400, 401, 403, 413, 415, 422, 503})
    public ResponseEntity<User> put(@PathVariable String userId,
                                    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = ApiExamples.USER))) @RequestBody UserBody body,
                                    HttpServletRequest req) {
        long app = Callers.app(req).id();
        Checks.id("userId", userId);
        if (body == null) throw ApiProblem.invalid("body", "is required");
        Checks c = new Checks();
        String email = c.email("email", body.email());
        String phone = c.phone("phone", body.phone());
        String locale = c.locale("locale", body.locale());
        String tz = c.timezone("timezone", body.timezone());
        c.throwIfAny();
        String attrs = body.attributes() == null ? null : json.writeValueAsString(body.attributes());
        boolean created = users.upsert(app, userId, email, phone, locale, tz, attrs, clock.instant());
        cache.invalidate(app, userId);
        return ResponseEntity.status(created ? 201 : 200).body(user(users.get(app, userId).orElseThrow()));
    }

    @GetMapping
    @ProblemResponses({401, 403, 404, 503})
    public User get(@PathVariable String userId, HttpServletRequest req) {
        return user(users.get(Callers.app(req).id(), userId).orElseThrow(() -> ApiProblem.notFound("user " + userId)));
    }

    @DeleteMapping
    @Operation(summary = "Erase a user: contacts, devices, preferences and personal data in past notifications")
    @ApiResponse(responseCode = "204", description = "erased")
    @ProblemResponses({401, 403, 404, 503})
    public ResponseEntity<Void> delete(@PathVariable String userId, HttpServletRequest req) {
        long app = Callers.app(req).id();
        if (!users.erase(app, userId, clock.instant())) throw ApiProblem.notFound("user " + userId);
        cache.invalidate(app, userId);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/devices")
    @Operation(summary = "Register a push device or Web Push subscription (201 when new)")
    @ApiResponse(responseCode = "200", description = "known already", content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = Device.class)))
    @ApiResponse(responseCode = "201", description = "registered", content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = Device.class)))
    @ProblemResponses({400, 401, 403, 413, 415, 422, 503})
    public ResponseEntity<Device> addDevice(@PathVariable String userId,
                                            @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = ApiExamples.DEVICE))) @RequestBody SendBodies.DeviceBody body,
                                            HttpServletRequest req) {
        long app = Callers.app(req).id();
        Checks.id("userId", userId);
        if (body == null) throw ApiProblem.invalid("body", "is required");
        Checks c = new Checks();
        Target.Device d = SendMapper.device(body, "", c, null, guard);
        c.throwIfAny();
        var reg = users.registerDevice(app, userId, d.platform(), d.token(), d.subscription(), clock.instant());
        cache.invalidate(app, userId);
        return ResponseEntity.status(reg.getValue() ? 201 : 200).body(Device.of(reg.getKey()));
    }

    @GetMapping("/devices")
    @ProblemResponses({401, 403, 404, 503})
    public Devices devices(@PathVariable String userId, HttpServletRequest req) {
        long app = Callers.app(req).id();
        if (users.get(app, userId).isEmpty()) throw ApiProblem.notFound("user " + userId);
        return new Devices(users.devices(app, userId).stream().map(Device::of).toList());
    }

    @DeleteMapping("/devices/{deviceId}")
    @ApiResponse(responseCode = "204", description = "removed")
    @ProblemResponses({400, 401, 403, 404, 503})
    public ResponseEntity<Void> deleteDevice(@PathVariable String userId, @PathVariable UUID deviceId, HttpServletRequest req) {
        long app = Callers.app(req).id();
        if (!users.deleteDevice(app, userId, deviceId)) throw ApiProblem.notFound("device " + deviceId);
        cache.invalidate(app, userId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/preferences")
    @ProblemResponses({401, 403, 404, 503})
    public PreferencesView preferences(@PathVariable String userId, HttpServletRequest req) {
        var u = users.get(Callers.app(req).id(), userId).orElseThrow(() -> ApiProblem.notFound("user " + userId));
        return PreferencesView.of(stored(u.preferencesJson()));
    }

    @PutMapping("/preferences")
    @Operation(summary = "Replace the user's preference document")
    @ProblemResponses({400, 401, 403, 404, 413, 415, 422, 503})
    public PreferencesView putPreferences(@PathVariable String userId,
                                          @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = PreferencesView.class), examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = ApiExamples.PREFERENCES))) @RequestBody Map<String, Object> body,
                                          HttpServletRequest req) {
        long app = Callers.app(req).id();
        Preferences p;
        try {
            p = PreferencesDocument.parse(body == null ? Map.of() : body);
        } catch (InvalidPreferencesException e) {
            throw ApiProblem.invalid(e.problems().stream().map(x -> new ApiProblem.FieldError(x.field(), x.message())).toList());
        }
        if (!users.savePreferences(app, userId, json.writeValueAsString(PreferencesDocument.toMap(p)), clock.instant())) {
            throw ApiProblem.notFound("user " + userId);
        }
        cache.invalidate(app, userId);
        return PreferencesView.of(p);
    }

    @SuppressWarnings("unchecked")
    private Preferences stored(String document) {
        if (document == null || document.isBlank()) return Preferences.NONE;
        return PreferencesDocument.parse(json.readValue(document, Map.class));
    }

    @SuppressWarnings("unchecked")
    private User user(UserAdmin.UserRow u) {
        return User.of(u, u.attributesJson() == null ? null : json.readValue(u.attributesJson(), LinkedHashMap.class));
    }
}
