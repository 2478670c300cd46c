package io.herald.client;

import io.herald.client.model.BatchResult;
import io.herald.client.model.Channel;
import io.herald.client.model.Content;
import io.herald.client.model.Device;
import io.herald.client.model.DeviceTarget;
import io.herald.client.model.Notification;
import io.herald.client.model.NotificationEvent;
import io.herald.client.model.NotificationQuery;
import io.herald.client.model.NotificationSummary;
import io.herald.client.model.Page;
import io.herald.client.model.Platform;
import io.herald.client.model.Preferences;
import io.herald.client.model.Priority;
import io.herald.client.model.QuietHours;
import io.herald.client.model.Reason;
import io.herald.client.model.Recipient;
import io.herald.client.model.Saved;
import io.herald.client.model.SendReceipt;
import io.herald.client.model.SendRequest;
import io.herald.client.model.Status;
import io.herald.client.model.TrackingEvent;
import io.herald.client.model.TrackingEventType;
import io.herald.client.model.User;
import io.herald.client.model.UserProfile;
import io.herald.client.model.WebPushSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every method of the client against a real Herald server (sandbox providers) over HTTP. */
class HeraldClientAgainstServerTest {

    private static HeraldServerFixture server;
    private static HeraldClient herald;
    private String user;

    @BeforeAll
    static void start() {
        server = new HeraldServerFixture();
        herald = server.client().build();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @BeforeEach
    void freshUser() {
        user = "u-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static SendRequest.Builder email(String eventId, String userId) {
        return SendRequest.builder(eventId).userId(userId).channels(Channel.EMAIL)
                .content(Content.builder().subject("Your order").text("Your latte is ready").build());
    }

    /** Polls the trace until it satisfies the condition or 20 s pass. */
    private static Notification awaitTrace(UUID id, Predicate<Notification> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Notification n = herald.getNotification(id);
        while (!done.test(n) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            n = herald.getNotification(id);
        }
        return n;
    }

    @Test
    void usersAreCreatedReplacedReadAndErased() {
        Saved<User> created = herald.putUser(user, UserProfile.builder().email("ada@example.com").phone("+1 415 555 0100")
                .locale("ko-KR").timezone("Asia/Seoul").attribute("plan", "pro").attribute("seats", 3).build());
        assertThat(created.created()).isTrue();
        assertThat(created.value().phone()).isEqualTo("+14155550100");
        assertThat(created.value().createdAt()).isNotNull();

        Saved<User> replaced = herald.putUser(user, UserProfile.builder().email("ada@example.org").build());
        assertThat(replaced.created()).isFalse();

        User read = herald.getUser(user);
        assertThat(read.userId()).isEqualTo(user);
        assertThat(read.email()).isEqualTo("ada@example.org");
        assertThat(read.phone()).isNull();

        assertThat(herald.deleteUser(user)).isTrue();
        assertThat(herald.deleteUser(user)).isFalse();
        NotFoundException gone = catchThrowableOfType(NotFoundException.class, () -> herald.getUser(user));
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.detail()).contains(user);
    }

    @Test
    void devicesRegisterIdempotentlyAreListedAndRemoved() {
        herald.putUser(user, UserProfile.builder().build());
        String apns = "ab".repeat(32);
        Saved<Device> ios = herald.registerDevice(user, DeviceTarget.ios(apns));
        assertThat(ios.created()).isTrue();
        assertThat(ios.value().platform()).isEqualTo(Platform.IOS);
        assertThat(ios.value().token()).isEqualTo(apns);
        assertThat(ios.value().active()).isTrue();
        Saved<Device> again = herald.registerDevice(user, DeviceTarget.ios(apns));
        assertThat(again.created()).isFalse();
        assertThat(again.value().deviceId()).isEqualTo(ios.value().deviceId());

        herald.registerDevice(user, DeviceTarget.android("fcm-registration-token-1"));
        WebPushSubscription subscription = WebPushSubscription.of("https://localhost/push/" + user,
                "B" + "A".repeat(86), "Q".repeat(22));
        Saved<Device> web = herald.registerDevice(user, DeviceTarget.web(subscription));
        assertThat(web.value().subscription()).isEqualTo(subscription);

        assertThat(herald.listDevices(user)).extracting(Device::platform).containsExactlyInAnyOrder(Platform.IOS, Platform.ANDROID,
                Platform.WEB);
        assertThat(herald.deleteDevice(user, ios.value().deviceId())).isTrue();
        assertThat(herald.deleteDevice(user, ios.value().deviceId())).isFalse();
        assertThat(herald.listDevices(user)).hasSize(2);

        ValidationException bad = catchThrowableOfType(ValidationException.class,
                () -> herald.registerDevice(user, DeviceTarget.ios("not hex")));
        assertThat(bad.errors()).extracting(e -> e.field()).containsExactly("token");
    }

    @Test
    void preferencesRoundTrip() {
        herald.putUser(user, UserProfile.builder().email("grace@example.com").build());
        Preferences defaults = herald.getPreferences(user);
        assertThat(defaults.channels()).isEmpty();
        assertThat(defaults.quietHours()).isNull();
        assertThat(defaults.unsubscribedAll()).isFalse();

        Preferences wanted = Preferences.builder().channel(Channel.SMS, false).category("marketing", Channel.EMAIL, true)
                .quietHours(QuietHours.of("22:00", "08:00")).build();
        Preferences stored = herald.putPreferences(user, wanted);
        assertThat(stored).isEqualTo(wanted);
        assertThat(herald.getPreferences(user)).isEqualTo(wanted);
        assertThat(stored.quietHours().start()).isEqualTo(LocalTime.of(22, 0));

        // the server's rules, reported field by field
        ValidationException bad = catchThrowableOfType(ValidationException.class,
                () -> herald.putPreferences(user, Preferences.builder().quietHours(QuietHours.of("09:00", "09:00")).build()));
        assertThat(bad.errors()).extracting(e -> e.field()).containsExactly("quietHours");
        assertThat(catchThrowableOfType(NotFoundException.class, () -> herald.getPreferences("nobody-" + user))).isNotNull();
    }

    @Test
    void aSendIsAcceptedDeduplicatedTracedTrackedAndCannotBeCancelledOnceSent() {
        herald.putUser(user, UserProfile.builder().email("ada@example.com").build());
        SendRequest request = email("order-" + user, user).priority(Priority.HIGH).category("transactional").build();

        SendReceipt first = herald.send(request);
        assertThat(first.replayed()).isFalse();
        assertThat(first.eventId()).isEqualTo(request.eventId());
        NotificationSummary n = first.notifications().get(0);
        assertThat(first.notifications()).hasSize(1);
        assertThat(n.channel()).isEqualTo(Channel.EMAIL);
        assertThat(n.status()).isIn(Status.QUEUED, Status.SENDING, Status.SENT);

        SendReceipt replay = herald.send(request);
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.notifications()).extracting(NotificationSummary::id).containsExactly(n.id());

        Notification sent = awaitTrace(n.id(), t -> t.status() == Status.SENT);
        assertThat(sent.status()).isEqualTo(Status.SENT);
        assertThat(sent.eventId()).isEqualTo(request.eventId());
        assertThat(sent.userId()).isEqualTo(user);
        assertThat(sent.priority()).isEqualTo(Priority.HIGH);
        assertThat(sent.category()).isEqualTo("transactional");
        assertThat(sent.attempts()).isEqualTo(1);
        assertThat(sent.provider()).isNotBlank();
        assertThat(sent.createdAt()).isNotNull();
        assertThat(sent.events()).extracting(NotificationEvent::status).contains("QUEUED", "SENT");

        ConflictException late = catchThrowableOfType(ConflictException.class, () -> herald.cancel(n.id()));
        assertThat(late.detail()).contains("SENT");

        Instant opened = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var tracked = herald.trackEvent(n.id(), TrackingEvent.of(TrackingEventType.OPENED).at(opened).detail("mail app"));
        assertThat(tracked.type()).isEqualTo(TrackingEventType.OPENED);
        assertThat(tracked.at()).isEqualTo(opened);
        Notification after = herald.getNotification(n.id());
        assertThat(after.status()).isEqualTo(Status.DELIVERED);
        assertThat(after.events()).anySatisfy(e -> {
            assertThat(e.status()).isEqualTo("OPENED");
            assertThat(e.detail()).isEqualTo("mail app");
        });

        NotFoundException unknown = catchThrowableOfType(NotFoundException.class, () -> herald.getNotification(UUID.randomUUID()));
        assertThat(unknown.title()).isNotBlank();
        assertThat(catchThrowableOfType(NotFoundException.class, () -> herald.trackEvent(UUID.randomUUID(), TrackingEventType.CLICKED)))
                .isNotNull();
    }

    @Test
    void aRecipientProblemIsANotificationWithAReasonNotAnError() {
        herald.putUser(user, UserProfile.builder().build());
        SendReceipt r = herald.send(SendRequest.builder("no-device-" + user).userId(user).channels(Channel.PUSH)
                .content(Content.builder().title("t").body("b").build()).build());
        assertThat(r.notifications()).singleElement().satisfies(n -> {
            assertThat(n.status().terminal()).isTrue();
            assertThat(n.reason()).isEqualTo(Reason.NO_RECIPIENT);
        });
    }

    @Test
    void aOneOffSendReachesAnAddressAndANumberWithoutAStoredUser() {
        SendReceipt r = herald.send(SendRequest.builder("one-off-" + user)
                .to(Recipient.email(user + "@example.com").withPhone("+14155550123"))
                .channels(Channel.EMAIL, Channel.SMS)
                .content(Content.builder().subject("Code").text("Your code is 123456").build())
                .priority(Priority.HIGH).build());
        assertThat(r.notifications()).extracting(NotificationSummary::channel).containsExactlyInAnyOrder(Channel.EMAIL, Channel.SMS);
        assertThat(r.notifications()).allSatisfy(n -> assertThat(n.target()).isNotBlank());
    }

    @Test
    void aScheduledSendWaitsAndCanBeCancelledTwice() {
        herald.putUser(user, UserProfile.builder().email("ada@example.com").build());
        Instant later = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        SendReceipt r = herald.send(email("later-" + user, user).sendAt(later).expiresAt(later.plus(Duration.ofHours(1))).build());
        NotificationSummary n = r.notifications().get(0);
        assertThat(n.status()).isEqualTo(Status.SCHEDULED);
        assertThat(herald.getNotification(n.id()).sendAt()).isEqualTo(later);

        Notification cancelled = herald.cancel(n.id());
        assertThat(cancelled.status()).isEqualTo(Status.CANCELLED);
        // a repeated cancel (as after a retry) is harmless
        assertThat(herald.cancel(n.id()).status()).isEqualTo(Status.CANCELLED);
        assertThat(catchThrowableOfType(NotFoundException.class, () -> herald.cancel(UUID.randomUUID()))).isNotNull();
    }

    @Test
    void aBatchAnswersEachItemInOrder() {
        herald.putUser(user, UserProfile.builder().email("ada@example.com").build());
        SendRequest good = email("batch-a-" + user, user).build();
        SendRequest invalid = SendRequest.builder("batch-b-" + user).content(Content.builder().text("t").build()).build();
        SendRequest alsoGood = email("batch-c-" + user, user).build();

        BatchResult result = herald.sendBatch(List.of(good, invalid, alsoGood));

        assertThat(result.results()).hasSize(3);
        assertThat(result.results().get(0).accepted()).isTrue();
        assertThat(result.results().get(0).status()).isEqualTo(202);
        assertThat(result.results().get(0).receipt().eventId()).isEqualTo(good.eventId());
        assertThat(result.results().get(1).accepted()).isFalse();
        assertThat(result.results().get(1).status()).isEqualTo(422);
        assertThat(result.results().get(1).problem().errors()).extracting(e -> e.field()).contains("userId");
        assertThat(result.results().get(2).receipt().eventId()).isEqualTo(alsoGood.eventId());

        BatchResult again = herald.sendBatch(List.of(good));
        assertThat(again.results().get(0).status()).isEqualTo(200);
        assertThat(again.results().get(0).receipt().replayed()).isTrue();
    }

    @Test
    void tracesArePagedWithACursorAndFiltered() {
        herald.putUser(user, UserProfile.builder().email("ada@example.com").phone("+14155550100").build());
        Set<UUID> sent = new java.util.HashSet<>();
        for (int i = 0; i < 5; i++) {
            sent.add(herald.send(email("page-" + i + "-" + user, user).build()).notifications().get(0).id());
        }
        herald.send(
                SendRequest.builder("sms-" + user).userId(user).channels(Channel.SMS).content(Content.builder().text("t").build()).build());

        NotificationQuery emails = NotificationQuery.builder().userId(user).channel(Channel.EMAIL).limit(2).build();
        Page<Notification> first = herald.searchNotifications(emails);
        assertThat(first.items()).hasSize(2);
        assertThat(first.hasMore()).isTrue();

        List<Notification> all = new ArrayList<>();
        herald.listNotifications(emails).forEach(all::add);
        assertThat(all).extracting(Notification::id).doesNotHaveDuplicates();
        assertThat(all.stream().map(Notification::id).collect(Collectors.toSet())).isEqualTo(sent);
        assertThat(all).extracting(Notification::createdAt).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        assertThat(herald.listNotifications(NotificationQuery.builder().userId(user).build()).stream().count()).isEqualTo(6);
        assertThat(herald.searchNotifications(NotificationQuery.builder().eventId("sms-" + user).build()).items())
                .singleElement().satisfies(n -> assertThat(n.channel()).isEqualTo(Channel.SMS));
        assertThat(herald.searchNotifications(NotificationQuery.builder().userId(user).from(Instant.now().plus(Duration.ofDays(1))).build())
                .items()).isEmpty();

        HeraldProblemException badCursor = catchThrowableOfType(HeraldProblemException.class,
                () -> herald.searchNotifications(emails.withCursor("not-a-cursor")));
        assertThat(badCursor.status()).isIn(400, 422);
        assertThat(badCursor.getMessage()).contains("cursor");
    }

    @Test
    void realProblemsFromHeraldAreTyped() {
        ValidationException invalid = catchThrowableOfType(ValidationException.class,
                () -> herald.putUser(user, UserProfile.builder().email("nope").phone("555").timezone("Mars/Olympus").build()));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.title()).isNotBlank();
        assertThat(invalid.errors()).extracting(e -> e.field()).containsExactlyInAnyOrder("email", "phone", "timezone");
        assertThat(invalid.errors()).allSatisfy(e -> assertThat(e.message()).isNotBlank());
        assertThat(catchThrowableOfType(NotFoundException.class, () -> herald.getUser(user))).isNotNull();

        ValidationException noEventTarget = catchThrowableOfType(ValidationException.class,
                () -> herald.send(SendRequest.builder("x-" + user).content(Content.builder().text("t").build()).build()));
        assertThat(noEventTarget.errors()).extracting(e -> e.field()).contains("userId");

        HeraldClient wrong = server.client().credentials(HeraldServerFixture.APP_KEY, "wrong-secret").build();
        UnauthorizedException unauthorized = catchThrowableOfType(UnauthorizedException.class, () -> wrong.getUser(user));
        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.title()).isNotBlank();

        List<SendRequest> tooMany = new ArrayList<>();
        for (int i = 0; i <= HeraldServerFixture.MAX_BATCH; i++) tooMany.add(email("many-" + i + "-" + user, user).build());
        ValidationException overBatch = catchThrowableOfType(ValidationException.class, () -> herald.sendBatch(tooMany));
        assertThat(overBatch.errors()).extracting(e -> e.field()).containsExactly("notifications");

        String big = "x".repeat(HeraldServerFixture.MAX_REQUEST_BYTES + 1);
        PayloadTooLargeException tooLarge = catchThrowableOfType(PayloadTooLargeException.class, () -> herald
                .sendBatch(List.of(SendRequest.builder("big-" + user).userId(user).content(Content.builder().text(big).build()).build())));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.detail()).contains(String.valueOf(HeraldServerFixture.MAX_REQUEST_BYTES));
        // nothing of a refused call was stored
        assertThat(herald.searchNotifications(NotificationQuery.builder().eventId("big-" + user).build()).items()).isEmpty();
    }

    @Test
    void oneClientServesManyThreadsAtOnce() throws Exception {
        herald.putUser(user, UserProfile.builder().email("ada@example.com").build());
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<SendReceipt>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String eventId = "parallel-" + i + "-" + user;
                futures.add(pool.submit(() -> herald.send(email(eventId, user).build())));
            }
            Set<String> eventIds = new java.util.HashSet<>();
            for (var f : futures) eventIds.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS).eventId());
            assertThat(eventIds).hasSize(40);
        } finally {
            pool.shutdownNow();
        }
        assertThat(herald.listNotifications(NotificationQuery.builder().userId(user).limit(500).build()).stream().count()).isEqualTo(40);
    }

    @Test
    void inboxTokensAreMintedWhenTheServerHasTheInbox() {
        herald.putUser(user, UserProfile.builder().build());
        var probe = catchThrowableOfType(NotFoundException.class, () -> herald.createInboxToken(user));
        Assumptions.assumeTrue(probe == null || !probe.detail().contains("No such endpoint"),
                "this server has no inbox-token endpoint yet");
        var token = herald.createInboxToken(user);
        assertThat(token.token()).isNotBlank();
        assertThat(token.expiresAt()).isAfter(Instant.now());
    }

    @Test
    void usersImportInBulkAndTopicsKeepTheirSubscribers() {
        String topic = "t-" + user;
        List<io.herald.client.model.ImportResult> results = herald.importUsers(List.of(
                io.herald.client.model.ImportedUser.of(user + "-a",
                        UserProfile.builder().email("a@example.com").timezone("Asia/Seoul").build(),
                        List.of(DeviceTarget.android("fcm-" + user)), List.of(topic)),
                io.herald.client.model.ImportedUser.of(user + "-b", UserProfile.builder().email("nope").build(), null, null),
                io.herald.client.model.ImportedUser.of(user + "-c", UserProfile.builder().build(), null, List.of(topic))));
        assertThat(results).extracting(io.herald.client.model.ImportResult::status).containsExactly(201, 422, 201);
        assertThat(results.get(1).problem().errors()).isNotEmpty();
        assertThat(herald.listDevices(user + "-a")).hasSize(1);
        assertThat(
                herald.importUsers(List.of(io.herald.client.model.ImportedUser.of(user + "-a", UserProfile.builder().build(), null, null))))
                .extracting(io.herald.client.model.ImportResult::created).containsExactly(false);

        assertThat(herald.subscribers(topic)).containsExactly(user + "-a", user + "-c");
        assertThat(herald.putTopic(topic, "Weekly").created()).isFalse(); // created by the import, now named
        assertThat(herald.listTopics()).extracting(io.herald.client.model.Topic::key).contains(topic);
        assertThat(herald.subscribe(topic, List.of(user + "-a", user + "-d"))).isEqualTo(1);
        assertThat(herald.unsubscribe(topic, user + "-c")).isTrue();
        assertThat(herald.unsubscribe(topic, user + "-c")).isFalse();
        assertThat(herald.subscribers(topic)).containsExactly(user + "-a", user + "-d");
        assertThat(herald.deleteTopic(topic)).isTrue();
        assertThat(herald.deleteTopic(topic)).isFalse();
    }
}
