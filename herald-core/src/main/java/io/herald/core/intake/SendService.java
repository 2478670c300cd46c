package io.herald.core.intake;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Reason;
import io.herald.core.model.Status;
import io.herald.core.model.Target;
import io.herald.core.policy.Verdict;
import io.herald.core.template.RenderedMessage;
import io.herald.core.template.TemplateRenderer;
import io.herald.core.user.UserProfile;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Intake: turns a send into notifications, one per channel and target, and stores them before answering.
 *
 * <p>Recipient problems (unknown user, no device, opted out, rate limited) are not errors of the call: they
 * become notifications in a terminal status with their reason, so the trace says why nothing went out.
 * Problems of the request itself (no channel, no content for a channel asked for, unknown template,
 * missing variable) throw {@link InvalidSendException} or {@code TemplateException} and store nothing.
 */
public final class SendService {

    private final UserDirectory users;
    private final TemplateRenderer templates;
    private final RecipientPolicy policy;
    private final NotificationStore store;
    private final WorkNotifier notifier;
    private final Clock clock;
    private final Supplier<UUID> ids;
    private final java.time.ZoneId defaultZone;
    private final EventIdFastPath fastPath;
    private final AppZones appZones;
    private final LaneHandoff handoff;

    public SendService(UserDirectory users, TemplateRenderer templates, RecipientPolicy policy, NotificationStore store,
                       WorkNotifier notifier, Clock clock, Supplier<UUID> ids) {
        this(users, templates, policy, store, notifier, clock, ids, java.time.ZoneOffset.UTC);
    }

    public SendService(UserDirectory users, TemplateRenderer templates, RecipientPolicy policy, NotificationStore store,
                       WorkNotifier notifier, Clock clock, Supplier<UUID> ids, java.time.ZoneId defaultZone) {
        this(users, templates, policy, store, notifier, clock, ids, defaultZone, AppZones.NONE, EventIdFastPath.NONE);
    }

    public SendService(UserDirectory users, TemplateRenderer templates, RecipientPolicy policy, NotificationStore store,
                       WorkNotifier notifier, Clock clock, Supplier<UUID> ids, java.time.ZoneId defaultZone, EventIdFastPath fastPath) {
        this(users, templates, policy, store, notifier, clock, ids, defaultZone, AppZones.NONE, fastPath);
    }

    public SendService(UserDirectory users, TemplateRenderer templates, RecipientPolicy policy, NotificationStore store,
                       WorkNotifier notifier, Clock clock, Supplier<UUID> ids, java.time.ZoneId defaultZone, AppZones appZones) {
        this(users, templates, policy, store, notifier, clock, ids, defaultZone, appZones, EventIdFastPath.NONE);
    }

    /**
     * @param defaultZone the zone of a local-time delivery to a user without a timezone, when the app has none either
     * @param appZones    each app's own default zone
     * @param fastPath    asked before the receipt look-up of every send (see {@link #lookUp})
     */
    public SendService(UserDirectory users, TemplateRenderer templates, RecipientPolicy policy, NotificationStore store,
                       WorkNotifier notifier, Clock clock, Supplier<UUID> ids, java.time.ZoneId defaultZone, AppZones appZones,
                       EventIdFastPath fastPath) {
        this(users, templates, policy, store, notifier, clock, ids, defaultZone, appZones, fastPath, LaneHandoff.NONE);
    }

    /** @param handoff this process's lanes, which take immediate notifications straight from intake when they can */
    public SendService(UserDirectory users, TemplateRenderer templates, RecipientPolicy policy, NotificationStore store,
                       WorkNotifier notifier, Clock clock, Supplier<UUID> ids, java.time.ZoneId defaultZone, AppZones appZones,
                       EventIdFastPath fastPath, LaneHandoff handoff) {
        this.handoff = handoff;
        this.fastPath = fastPath;
        this.defaultZone = defaultZone;
        this.appZones = appZones;
        this.users = users;
        this.templates = templates;
        this.policy = policy;
        this.store = store;
        this.notifier = notifier;
        this.clock = clock;
        this.ids = ids;
    }

    /** @return the receipt, flagged as a replay when the eventId was used before */
    public NotificationStore.Stored send(long appId, SendRequest request) {
        Lookup known = lookUp(appId, List.of(request.eventId()));
        SendReceipt earlier = known.receipts().get(request.eventId());
        if (earlier != null) return new NotificationStore.Stored(earlier, true);
        NotificationStore.Accepted accepted;
        try {
            accepted = plan(appId, request, clock.instant());
        } catch (RuntimeException e) {
            return replayOr(known, e, request.eventId());
        }
        return store(List.of(accepted)).getFirst();
    }

    /**
     * Plans each send; those that are invalid are reported in their slot and the rest are stored together in one
     * transaction. The result has one entry per request, in order: a {@link NotificationStore.Stored} or the
     * {@link RuntimeException} that rejected that request alone.
     *
     * <p>An eventId stored before is a replay: its slot is the stored receipt, and it is not planned again (no render,
     * no preference or limiter decision), so it can neither take a user's rate-limit tokens nor fail where the
     * original was accepted. The eventIds are looked up together first; a send racing in another request between
     * that look-up and the insert is still caught by the database's unique key (then it may have taken tokens).
     */
    public List<Object> sendBatch(long appId, List<SendRequest> requests) {
        Instant now = clock.instant();
        Object[] results = new Object[requests.size()];
        List<Draft> drafts = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        Lookup lookup = lookUp(appId, requests.stream().map(SendRequest::eventId).distinct().toList());
        Map<String, SendReceipt> known = lookup.receipts();
        // the batch's users in a few statements instead of a user and a devices query per send: 1,000 pushes to 1,000
        // users were 2,000 round trips before this (JFR of the iOS push bench, docs/benchmarks.md)
        List<String> userIds = requests.stream().map(SendRequest::userId).filter(java.util.Objects::nonNull).distinct().toList();
        if (userIds.size() > 1) users.preload(appId, userIds);
        for (int i = 0; i < requests.size(); i++) {
            SendRequest r = requests.get(i);
            try {
                if (!seen.add(r.eventId()))
                    throw new InvalidSendException("eventId", "eventId " + r.eventId() + " appears twice in this batch");
                SendReceipt earlier = known.get(r.eventId());
                if (earlier != null) {
                    results[i] = new NotificationStore.Stored(earlier, true);
                    continue;
                }
                drafts.add(draft(appId, r, now));
                slots.add(i);
            } catch (RuntimeException e) {
                try {
                    results[i] = replayOr(lookup, e, r.eventId());
                } catch (RuntimeException refused) {
                    results[i] = refused;
                }
            }
        }
        if (!drafts.isEmpty()) {
            List<NotificationStore.Accepted> planned = decideAll(drafts, now);
            List<NotificationStore.Stored> stored = store(planned);
            for (int k = 0; k < stored.size(); k++) results[slots.get(k)] = stored.get(k);
        }
        return List.of(results);
    }

    /**
     * Single sends of many callers at once ({@link SingleSendIntake}), each answered as {@link #send} would answer it:
     * planned and stored app by app as a batch, with one look-up, one limiter call and one transaction per app. One
     * answer per send, in order: its {@link NotificationStore.Stored} or the {@link RuntimeException} that refused it.
     * A failed transaction fails its own app's sends only: another app's may be committed already. The same eventId
     * twice is two racing calls, not a bad batch: the later one is stored in a round after the first, which answers it
     * as a replay.
     */
    public List<Object> sendEach(List<SingleSendIntake.Single> singles) {
        Object[] answers = new Object[singles.size()];
        Map<Long, List<Integer>> byApp = new LinkedHashMap<>();
        for (int i = 0; i < singles.size(); i++) byApp.computeIfAbsent(singles.get(i).appId(), a -> new ArrayList<>()).add(i);
        byApp.forEach((appId, slots) -> {
            List<Integer> pending = slots;
            while (!pending.isEmpty()) {
                Set<String> eventIds = new java.util.HashSet<>();
                List<Integer> round = new ArrayList<>(pending.size());
                List<Integer> later = new ArrayList<>();
                for (int slot : pending) (eventIds.add(singles.get(slot).request().eventId()) ? round : later).add(slot);
                try {
                    List<Object> out = sendBatch(appId, round.stream().map(slot -> singles.get(slot).request()).toList());
                    for (int k = 0; k < round.size(); k++) answers[round.get(k)] = out.get(k);
                } catch (RuntimeException failed) {
                    for (int slot : round) answers[slot] = failed;
                }
                pending = later;
            }
        });
        return java.util.Arrays.asList(answers);
    }

    /** Stores the sends in one transaction, then starts what this process's lanes took and rings for the rest. */
    private List<NotificationStore.Stored> store(List<NotificationStore.Accepted> planned) {
        HandoffPlan plan = HandoffPlan.reserve(handoff, planned);
        List<NotificationStore.Stored> stored;
        try {
            stored = store.acceptAll(plan.sends());
        } catch (RuntimeException | Error e) {
            plan.failed();
            throw e;
        }
        plan.committed(stored);
        for (int k = 0; k < stored.size(); k++) if (!stored.get(k).replay()) notify(plan.sends().get(k));
        return stored;
    }

    /**
     * The receipts of the eventIds sent before: the ONE place intake asks the {@link EventIdFastPath}. Those it calls
     * unseen are not looked up; the database's unique key still catches one that was sent after all.
     */
    private Lookup lookUp(long appId, List<String> eventIds) {
        if (eventIds.isEmpty()) return new Lookup(appId, Map.of(), Set.of());
        Set<String> unseen = fastPath.claimUnseen(appId, eventIds);
        List<String> rest = unseen.isEmpty() ? eventIds : eventIds.stream().filter(e -> !unseen.contains(e)).toList();
        return new Lookup(appId, rest.isEmpty() ? Map.of() : store.findReceipts(appId, rest), unseen);
    }

    private record Lookup(long appId, Map<String, SendReceipt> receipts, Set<String> unseen) {
    }

    /**
     * A send the fast path called unseen and whose planning failed may be the replay of a send older than the fast
     * path's memory (e.g. its expiresAt has passed since): answered with the stored receipt, as a replay always is.
     */
    private NotificationStore.Stored replayOr(Lookup lookup, RuntimeException failure, String eventId) {
        if (!lookup.unseen().contains(eventId)) throw failure;
        return store.findReceipt(lookup.appId(), eventId).map(r -> new NotificationStore.Stored(r, true)).orElseThrow(() -> failure);
    }

    NotificationStore.Accepted plan(long appId, SendRequest r, Instant now) {
        return decideAll(List.of(draft(appId, r, now)), now).getFirst();
    }

    private Draft draft(long appId, SendRequest r, Instant now) {
        checkTimes(r, now);
        UserProfile user = r.userId() == null ? null : users.find(appId, r.userId()).orElse(null);
        return draft(appId, r, user, null, null, now, null);
    }

    /**
     * Checks a broadcast's send before it is accepted, as far as it does not depend on the recipient: times, channels,
     * and that the template renders with the data given (in the send's locale). Throws like a single send would.
     */
    public void checkBroadcast(long appId, SendRequest r) {
        Instant now = clock.instant();
        checkTimes(r, now);
        draft(appId, r, null, List.of(), null, now, null);
    }

    /**
     * Plans one page of a broadcast: each recipient exactly as a single send of {@code r} to that user would be
     * (template in the user's locale, preferences, quiet hours, rate limits), every row tagged with the broadcast.
     * A recipient the send cannot be made for (a locale whose template lacks a channel...) gets a FAILED row with
     * the reason, so the trace says why, and does not stop the others.
     */
    public List<NewNotification> planBroadcastPage(long appId, SendRequest r, UUID broadcastId,
                                                   List<Recipient> page, Instant now) {
        // every recipient's draft first, then all their preference and limit decisions together (one limiter call)
        List<Draft> drafts = new ArrayList<>(page.size());
        List<NewNotification> failed = new ArrayList<>();
        List<Integer> failedAt = new ArrayList<>();
        // the broadcast's template and data are the same for everyone: rendered once per locale, not per recipient
        Map<String, RenderedMessage> renders = new java.util.HashMap<>();
        for (var recipient : page) {
            SendRequest one = r.forUser(recipient.profile().userId());
            try {
                drafts.add(draft(appId, one, recipient.profile(), recipient.devices(), broadcastId, now, renders));
            } catch (RuntimeException e) {
                Channel channel = r.channels() != null && !r.channels().isEmpty() ? r.channels().iterator().next() : Channel.IN_APP;
                Reason reason = e instanceof io.herald.core.template.TemplateException ? Reason.TEMPLATE_ERROR : Reason.INVALID_RECIPIENT;
                failed.add(new NewNotification(ids.get(), appId, one.eventId(), one.userId(), channel, one.priority(), one.category(),
                        one.templateKey(), one.templateVersion(), null, null, Status.FAILED, reason, e.getMessage(), null,
                        one.expiresAt(), now, broadcastId));
                failedAt.add(drafts.size());
            }
        }
        List<NotificationStore.Accepted> planned = decideAll(drafts, now);
        List<NewNotification> rows = new ArrayList<>();
        for (int d = 0, f = 0; d <= planned.size(); d++) {
            // recipients in page order: a failed one sits before the draft that followed it
            while (f < failedAt.size() && failedAt.get(f) == d) rows.add(failed.get(f++));
            if (d < planned.size()) rows.addAll(planned.get(d).notifications());
        }
        return rows;
    }

    /** Wakes this process's workers for the lanes that got due work. */
    public void announce(List<NewNotification> rows) {
        notify(new NotificationStore.Accepted(0, null, rows));
    }

    private static void checkTimes(SendRequest r, Instant now) {
        if (r.expiresAt() != null && !r.expiresAt().isAfter(now)) {
            throw new InvalidSendException("expiresAt", "expiresAt " + r.expiresAt() + " is already past");
        }
        if (r.expiresAt() != null && r.sendAt() != null && !r.expiresAt().isAfter(r.sendAt())) {
            throw new InvalidSendException("expiresAt", "expiresAt must be after sendAt");
        }
    }

    /** The app's default zone, else the server-wide one. */
    private java.time.ZoneId zoneOf(long appId) {
        return appZones.defaultZone(appId).orElse(defaultZone);
    }

    /** A send checked, rendered and with its targets, waiting for its policy verdicts. */
    private record Draft(long appId, UUID broadcastId, SendRequest r, RenderedMessage rendered, UserProfile user,
                         List<Part> parts, Instant now) {

        /** The questions to the policy, in order: one per channel of a user, one per target of a one-off send. */
        void questions(List<RecipientPolicy.Question> into) {
            for (Part p : parts) {
                if (p.targets().isEmpty()) continue;
                // one verdict per channel: preferences and limits count a notification to the user, not per device.
                // Here user == null means a one-off send (an unknown user has no targets): it is limited per address.
                if (user != null) into.add(RecipientPolicy.Question.forUser(user, p.channel(), r.category(), r.priority()));
                else
                    for (Target t : p.targets()) into.add(RecipientPolicy.Question.forAddress(appId, t, r.category(), r.priority()));
            }
        }
    }

    /** One channel of a draft: its content and targets (none: the row says why). */
    private record Part(Channel channel, Content content, List<Target> targets) {
    }

    /** The drafts' verdicts in one policy call (one limiter round trip), then their rows. */
    private List<NotificationStore.Accepted> decideAll(List<Draft> drafts, Instant now) {
        List<RecipientPolicy.Question> questions = new ArrayList<>();
        for (Draft d : drafts) d.questions(questions);
        java.util.Iterator<Verdict> verdicts = (questions.isEmpty() ? List.<Verdict>of() : policy.decideAll(questions, now)).iterator();
        List<NotificationStore.Accepted> planned = new ArrayList<>(drafts.size());
        for (Draft d : drafts) planned.add(finish(d, verdicts));
        return planned;
    }

    /**
     * @param devices the user's active devices when already loaded; null to look them up
     * @param renders renderings by locale shared by the drafts of one request (a broadcast page); null to render afresh
     */
    private Draft draft(long appId, SendRequest asked, UserProfile user, List<Target.Device> devices, UUID broadcastId, Instant now,
                        Map<String, RenderedMessage> renders) {
        SendRequest r = asked;
        if (asked.deliverAt() != null) {
            r = asked.at(asked.deliverAt().resolve(user != null && user.timezone() != null ? user.timezone() : zoneOf(appId), now));
            if (r.expiresAt() != null && !r.expiresAt().isAfter(r.sendAt())) {
                throw new InvalidSendException("expiresAt", "expiresAt must be after the local delivery time (" + r.sendAt() + ")");
            }
        }
        String locale = r.locale() != null ? r.locale() : user != null ? user.locale() : null;
        SendRequest t = r;
        RenderedMessage rendered = r.templateKey() == null
                ? null
                : renders == null
                        ? templates.render(r.templateKey(), r.templateVersion(), locale, r.data())
                        : renders.computeIfAbsent(locale, l -> templates.render(t.templateKey(), t.templateVersion(), l, t.data()));
        Set<Channel> channels = channelsOf(r, rendered);
        List<Part> parts = new ArrayList<>(channels.size());
        for (Channel channel : channels) {
            Content c = rendered != null ? rendered.content().get(channel) : r.content();
            if (c == null || !c.isSufficientFor(channel)) {
                throw new InvalidSendException(rendered != null ? "template" : "content", rendered != null
                        ? "template " + r.templateKey() + " has no " + channel + " content"
                        : "content lacks what " + channel + " needs (" + needs(channel) + ")");
            }
            parts.add(new Part(channel, c, null));
        }
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            parts.set(i, new Part(p.channel(), p.content(), targetsOf(r, user, devices, p.channel())));
        }
        return new Draft(appId, broadcastId, r, rendered, user, parts, now);
    }

    private NotificationStore.Accepted finish(Draft d, java.util.Iterator<Verdict> verdicts) {
        SendRequest r = d.r();
        long appId = d.appId();
        UUID broadcastId = d.broadcastId();
        RenderedMessage rendered = d.rendered();
        Instant now = d.now();
        List<NewNotification> rows = new ArrayList<>();
        for (Part part : d.parts()) {
            Channel channel = part.channel();
            if (part.targets().isEmpty()) {
                String why = r.userId() != null && d.user() == null
                        ? "user " + r.userId() + " is not known to this app"
                        : channel == Channel.IN_APP
                                ? "an in-app inbox needs a userId; a one-off recipient has none"
                                : "no " + (channel == Channel.PUSH
                                        ? "active device"
                                        : channel == Channel.SMS ? "phone number" : "email address") + " for this recipient";
                rows.add(row(appId, broadcastId, r, rendered, channel, null, part.content(), Status.FAILED, Reason.NO_RECIPIENT, why, null,
                        now));
                continue;
            }
            Verdict perUser = d.user() == null ? null : verdicts.next();
            for (Target t : part.targets()) {
                Verdict verdict = perUser != null ? perUser : verdicts.next();
                rows.add(switch (verdict) {
                    case Verdict.Suppress s -> row(appId, broadcastId, r, rendered, channel, t, part.content(), Status.SUPPRESSED,
                            s.reason(), s.detail(), null, now);
                    case Verdict.Defer v -> row(appId, broadcastId, r, rendered, channel, t, part.content(), Status.SCHEDULED, null,
                            v.detail(), later(v.until(), r.sendAt()), now);
                    case Verdict.Proceed p -> r.sendAt() != null && r.sendAt().isAfter(now)
                            ? row(appId, broadcastId, r, rendered, channel, t, part.content(), Status.SCHEDULED, null,
                                    "scheduled for " + r.sendAt(), r.sendAt(), now)
                            : row(appId, broadcastId, r, rendered, channel, t, part.content(), Status.QUEUED, null,
                                    smsNote(channel, part.content()), now, now);
                });
            }
        }
        SendReceipt receipt = new SendReceipt(r.eventId(), rows.stream().map(NewNotification::receiptItem).toList());
        return new NotificationStore.Accepted(appId, receipt, rows);
    }

    private NewNotification row(long appId, UUID broadcastId, SendRequest r, RenderedMessage rendered, Channel channel, Target target,
                                Content content, Status status, Reason reason, String detail, Instant dueAt, Instant now) {
        return new NewNotification(ids.get(), appId, r.eventId(), r.userId(), channel, r.priority(), r.category(),
                rendered == null ? null : rendered.templateKey(), rendered == null ? null : rendered.version(),
                target, content, status, reason, detail, dueAt, r.expiresAt(), now, broadcastId);
    }

    private static Set<Channel> channelsOf(SendRequest r, RenderedMessage rendered) {
        if (r.channels() != null && !r.channels().isEmpty()) return EnumSet.copyOf(r.channels());
        if (!r.oneOff().isEmpty()) {
            Set<Channel> s = EnumSet.noneOf(Channel.class);
            r.oneOff().forEach(t -> s.add(t.channel()));
            return s;
        }
        if (rendered != null && !rendered.defaultChannels().isEmpty()) return EnumSet.copyOf(rendered.defaultChannels());
        throw new InvalidSendException("channels", rendered != null
                ? "template " + rendered.templateKey() + " has no default channels: name the channels"
                : "channels are required with inline content");
    }

    private List<Target> targetsOf(SendRequest r, UserProfile user, List<Target.Device> devices, Channel channel) {
        if (r.userId() == null) return r.oneOff().stream().filter(t -> t.channel() == channel).toList();
        if (user == null) return List.of();
        return switch (channel) {
            case EMAIL -> user.email() == null ? List.of() : List.of(new Target.Email(user.email()));
            case SMS -> user.phone() == null ? List.of() : List.of(new Target.Phone(user.phone()));
            case PUSH -> List.copyOf(devices != null ? devices : users.activeDevices(user.appId(), user.userId()));
            case IN_APP -> List.of(new Target.Inbox(user.userId()));
        };
    }

    private void notify(NotificationStore.Accepted accepted) {
        // a row handed to a lane of this process is in its hands already: nobody needs to look for it
        accepted.notifications().stream().filter(n -> n.status() == Status.QUEUED && n.handoff() == null)
                .map(n -> Map.entry(io.herald.core.queue.WorkQueue.of(n.target()), n.priority())).distinct()
                .forEach(k -> notifier.workAdded(k.getKey(), k.getValue()));
    }

    /** SMS cost is in segments: the trace says how many, and in which encoding, from the start. */
    private static String smsNote(Channel channel, Content content) {
        if (channel != Channel.SMS) return null;
        var len = io.herald.core.template.SmsLength.of(content.smsText());
        return "SMS " + (len.encoding() == io.herald.core.template.SmsLength.Encoding.GSM7 ? "GSM-7" : "UCS-2") + ", "
                + len.segments() + (len.segments() == 1 ? " segment" : " segments");
    }

    private static Instant later(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }

    private static String needs(Channel channel) {
        return switch (channel) {
            case PUSH, IN_APP -> "title or body";
            case SMS -> "text or body";
            case EMAIL -> "subject and html, text or body";
        };
    }
}
