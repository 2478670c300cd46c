package io.herald.server.api;

import io.herald.core.model.Target;
import io.herald.core.net.OutboundGuard;
import io.herald.core.user.ImportedUser;
import io.herald.core.user.UserImport;
import io.herald.server.config.ApiProperties;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.runtime.CachedUserDirectory;
import io.herald.server.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Bulk user import: up to a batch of users with devices and topics, checked one by one, stored together. */
@RestController
public class UsersBatchController {

    private final UserImport imports;
    private final CachedUserDirectory cache;
    private final ApiProperties api;
    private final OutboundGuard guard;
    private final Clock clock;

    public UsersBatchController(UserImport imports, CachedUserDirectory cache, ApiProperties api, OutboundGuard guard, Clock clock) {
        this.imports = imports;
        this.cache = cache;
        this.api = api;
        this.guard = guard;
        this.clock = clock;
    }

    public record BatchBody(List<UserItem> users) {
    }

    public record UserItem(String userId, String email, String phone, String locale, String timezone, Map<String, Object> attributes,
                           List<SendBodies.DeviceBody> devices, List<String> topics) {
    }

    /** One slot of the answer: the user stored (201 created, 200 updated) or a problem with that item alone. */
    public sealed interface ItemResult permits Imported, ItemProblem {
    }

    public record Imported(int status, String userId, boolean created) implements ItemResult {
    }

    public record ItemProblem(int status, String title, String detail, List<ApiProblem.FieldError> errors) implements ItemResult {
        static ItemProblem of(ApiProblem p) {
            return new ItemProblem(p.status(), p.title(), p.getMessage(), p.errors());
        }
    }

    public record ImportResults(List<ItemResult> results) {
    }

    @PostMapping("/v1/users/batch")
    @ProblemResponses({400, 401, 403, 404, 409, 413, 415, 422, 429, 503})
    public ImportResults importUsers(@RequestBody BatchBody body, HttpServletRequest req) {
        long app = Callers.app(req).id();
        if (body == null || body.users() == null) throw ApiProblem.invalid("users", "is required");
        if (body.users().size() > api.maxBatchSize()) {
            throw ApiProblem.invalid("users", "at most " + api.maxBatchSize() + " per batch; got " + body.users().size());
        }
        ItemResult[] results = new ItemResult[body.users().size()];
        List<ImportedUser> valid = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < results.length; i++) {
            try {
                ImportedUser u = toUser(body.users().get(i));
                if (!seen.add(u.userId())) throw ApiProblem.invalid("userId", "userId " + u.userId() + " appears twice in this batch");
                valid.add(u);
                slots.add(i);
            } catch (ApiProblem p) {
                results[i] = ItemProblem.of(p);
            }
        }
        List<Boolean> created = imports.importUsers(app, valid, clock.instant());
        for (int k = 0; k < created.size(); k++) {
            String userId = valid.get(k).userId();
            cache.invalidate(app, userId);
            results[slots.get(k)] = new Imported(created.get(k) ? 201 : 200, userId, created.get(k));
        }
        return new ImportResults(List.of(results));
    }

    private ImportedUser toUser(UserItem u) {
        if (u == null) throw ApiProblem.invalid("body", "each user must be an object");
        Checks c = new Checks();
        if (u.userId() == null) c.add("userId", "is required");
        else if (!Checks.isId(u.userId())) c.add("userId", Checks.ID_RULE);
        String email = c.email("email", u.email());
        String phone = c.phone("phone", u.phone());
        String locale = c.locale("locale", u.locale());
        String tz = c.timezone("timezone", u.timezone());
        List<Target.Device> devices = new ArrayList<>();
        if (u.devices() != null) {
            if (u.devices().size() > 100) c.add("devices", "at most 100 devices per user");
            for (int i = 0; i < u.devices().size() && i < 100; i++) {
                if (u.devices().get(i) == null) {
                    c.add("devices[" + i + "]", "must be an object");
                    continue;
                }
                Target.Device d = SendMapper.device(u.devices().get(i), "devices[" + i + "].", c, null, guard);
                if (d != null) devices.add(d);
            }
        }
        List<String> topics = u.topics() == null ? List.of() : u.topics();
        if (topics.size() > 100) c.add("topics", "at most 100 topics per user");
        for (int i = 0; i < topics.size() && i < 100; i++) TopicsController.checkKey("topics[" + i + "]", topics.get(i), c);
        c.throwIfAny();
        return new ImportedUser(u.userId(), email, phone, locale, tz, u.attributes(), devices, topics);
    }
}
