package io.herald.server.channels;

import io.herald.core.model.WebPushSubscription;
import io.herald.providers.sms.TwilioSignature;
import io.herald.server.channels.Http.Reply;
import io.herald.testkit.TestPostgres;
import io.herald.testkit.apns.ApnsTestCredentials;
import io.herald.testkit.apns.ReceivedApnsNotification;
import io.herald.testkit.apns.RecordingApnsServer;
import io.herald.testkit.email.ScriptedSmtpServer;
import io.herald.testkit.fcm.FakeFcmServer;
import io.herald.testkit.fcm.SentFcmMessage;
import io.herald.testkit.fcm.TestServiceAccount;
import io.herald.testkit.sms.FakeTwilioServer;
import io.herald.testkit.webpush.FakePushService;
import io.herald.testkit.webpush.FakeSubscriber;
import io.herald.testkit.webpush.ReceivedPush;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every channel end to end through the HTTP API against real protocol peers: APNs (pushy's mock over TLS, token
 * auth), FCM HTTP v1 with its OAuth2 token endpoint, a Web Push service that verifies VAPID and decrypts, an SMTP
 * server and Twilio's Messages API; then Twilio's signed status callback, APNs' Unregistered answer and RFC 8058
 * one-click unsubscribe from the header of the mail that arrived.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RealChannelsEndToEndTest {

    private static final String SCHEMA = TestPostgres.newSchema("channels");
    private static final String TWILIO_SID = "AC" + "0123456789abcdef0123456789abcdef";
    private static final String TWILIO_TOKEN = "twilio-auth-token-e2e";
    private static final String TWILIO_FROM = "+15005550006";
    /** What Twilio is told to call back: Herald's public URL (behind a proxy), which is also what Twilio signs. */
    private static final String STATUS_CALLBACK = "https://herald.example.test/v1/webhooks/twilio/status";
    private static final String FCM_PROJECT = "herald-e2e";

    private static final Path DIR = Http.tempDir("herald-channels-e2e-");
    private static final ApnsTestCredentials APNS_CREDENTIALS;
    private static final RecordingApnsServer APNS;
    private static final FakeFcmServer FCM;
    private static final TestServiceAccount FCM_ACCOUNT;
    private static final FakePushService PUSH;
    private static final ScriptedSmtpServer SMTP;
    private static final FakeTwilioServer TWILIO;

    // the peers must be listening (and the key files written) before the Spring context reads its properties
    static {
        APNS_CREDENTIALS = ApnsTestCredentials.generate(DIR.resolve("apns"));
        APNS = RecordingApnsServer.start(APNS_CREDENTIALS);
        FCM = FakeFcmServer.start(FCM_PROJECT);
        FCM_ACCOUNT = FCM.newServiceAccount(DIR.resolve("fcm"));
        PUSH = FakePushService.start(Clock.systemUTC());
        SMTP = new ScriptedSmtpServer(null, null);
        TWILIO = new FakeTwilioServer(TWILIO_SID, TWILIO_TOKEN);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                TestPostgres.dropSchema(SCHEMA);
            } catch (RuntimeException ignored) {
                // best effort
            }
            Http.deleteQuietly(DIR);
        }));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("herald.db.url", () -> TestPostgres.URL);
        r.add("herald.db.username", () -> TestPostgres.USER);
        r.add("herald.db.schema", () -> SCHEMA);
        r.add("herald.bootstrap.app", () -> Http.APP);
        r.add("herald.bootstrap.admin", () -> Http.ADMIN);
        r.add("herald.dispatch.defaults.poll-interval", () -> "50ms");
        r.add("herald.data-dir", () -> DIR.resolve("data").toString());

        r.add("herald.providers.apns.topic", APNS_CREDENTIALS::topic);
        r.add("herald.providers.apns.signing-key-file", () -> APNS_CREDENTIALS.signingKeyP8().toString());
        r.add("herald.providers.apns.key-id", APNS_CREDENTIALS::keyId);
        r.add("herald.providers.apns.team-id", APNS_CREDENTIALS::teamId);
        r.add("herald.providers.apns.host", APNS::host);
        r.add("herald.providers.apns.port", APNS::port);
        r.add("herald.providers.apns.trusted-server-ca", () -> APNS_CREDENTIALS.caCertificatePem().toString());

        r.add("herald.providers.fcm.service-account-file", () -> FCM_ACCOUNT.file().toString());
        r.add("herald.providers.fcm.base-url", () -> FCM.baseUrl().toString());
        r.add("herald.providers.fcm.token-uri", () -> FCM.tokenUri().toString());

        r.add("herald.providers.webpush.subject", () -> "mailto:ops@herald.test");
        r.add("herald.providers.webpush.allow-insecure-endpoints", () -> "true");
        r.add("herald.outbound.allowed-hosts", () -> "127.0.0.1,localhost"); // the fakes listen on loopback

        r.add("herald.providers.smtp.host", () -> "127.0.0.1");
        r.add("herald.providers.smtp.port", SMTP::port);
        r.add("herald.providers.smtp.security", () -> "OFF");
        r.add("herald.providers.smtp.from", () -> "Herald <noreply@herald.test>");

        r.add("herald.providers.twilio.base-url", () -> TWILIO.baseUrl().toString());
        r.add("herald.providers.twilio.account-sid", () -> TWILIO_SID);
        r.add("herald.providers.twilio.auth-token", () -> TWILIO_TOKEN);
        r.add("herald.providers.twilio.from", () -> TWILIO_FROM);
        r.add("herald.providers.twilio.status-callback-url", () -> STATUS_CALLBACK);

        r.add("herald.providers.channels.PUSH[0]", () -> "apns");
        r.add("herald.providers.channels.PUSH[1]", () -> "fcm");
        r.add("herald.providers.channels.PUSH[2]", () -> "webpush");
        r.add("herald.providers.channels.SMS[0]", () -> "twilio");
        r.add("herald.providers.channels.EMAIL[0]", () -> "smtp");
    }

    @AfterAll
    static void closePeers() {
        Http.closeQuietly(APNS);
        Http.closeQuietly(FCM);
        Http.closeQuietly(PUSH);
        Http.closeQuietly(SMTP);
        Http.closeQuietly(TWILIO);
    }

    @LocalServerPort
    int port;

    private Http http() {
        return new Http(port);
    }

    private static String newUser() {
        return "u-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String apnsToken() {
        byte[] b = new byte[32];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String ofChannel(JsonNode notifications, String targetPrefix) {
        for (JsonNode n : notifications) {
            if (n.get("target").asString().startsWith(targetPrefix)) return n.get("id").asString();
        }
        throw new AssertionError("no notification with target " + targetPrefix + "* in " + notifications);
    }

    private static List<ScriptedSmtpServer.Received> mailTo(String address) {
        return SMTP.received().stream().filter(m -> m.recipients().contains(address)).toList();
    }

    private static MimeMessage parse(ScriptedSmtpServer.Received mail) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(mail.data().getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, String> parts(MimeMessage mime) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        Object content = mime.getContent();
        if (content instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                Part p = mp.getBodyPart(i);
                out.put(p.getContentType().split(";")[0].trim().toLowerCase(), String.valueOf(p.getContent()));
            }
        } else {
            out.put(mime.getContentType().split(";")[0].trim().toLowerCase(), String.valueOf(content));
        }
        return out;
    }

    private Reply twilioCallback(Map<String, String> form, String signature) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http().call("POST", "/v1/webhooks/twilio/status", null, body, "application/x-www-form-urlencoded",
                Map.of("X-Twilio-Signature", signature));
    }

    @Test
    void oneSendReachesEveryRealPeerThenTwilioReportsDelivery() throws Exception {
        Http http = http();
        String user = newUser();
        String email = user + "@example.com";
        String iosToken = apnsToken();
        String androidToken = "fcm-" + UUID.randomUUID() + ":APA91b" + UUID.randomUUID().toString().replace("-", "");
        APNS.registerDevice(iosToken);

        Reply vapid = http.call("GET", "/v1/webpush/vapid-public-key", null, null);
        assertThat(vapid.status()).as(vapid.raw()).isEqualTo(200);
        String publicKey = vapid.text("publicKey");
        assertThat(publicKey).matches("[A-Za-z0-9_-]{87}");
        FakeSubscriber browser = PUSH.subscribe(publicKey);
        WebPushSubscription sub = browser.subscription();

        assertThat(http.call("PUT", "/v1/users/" + user, Http.APP, """
                {"email":"%s","phone":"+1 415-555-0123","timezone":"UTC"}""".formatted(email)).status()).isEqualTo(201);
        assertThat(http.call("POST", "/v1/users/" + user + "/devices", Http.APP, """
                {"platform":"IOS","token":"%s"}""".formatted(iosToken)).status()).isEqualTo(201);
        assertThat(http.call("POST", "/v1/users/" + user + "/devices", Http.APP, """
                {"platform":"ANDROID","token":"%s"}""".formatted(androidToken)).status()).isEqualTo(201);
        Reply web = http.call("POST", "/v1/users/" + user + "/devices", Http.APP, """
                {"platform":"WEB","subscription":{"endpoint":"%s","keys":{"p256dh":"%s","auth":"%s"}}}"""
                .formatted(sub.endpoint(), sub.p256dh(), sub.auth()));
        assertThat(web.status()).as(web.raw()).isEqualTo(201);

        Reply sent = http.call("POST", "/v1/notifications", Http.APP, """
                {"eventId":"all-%s","userId":"%s","channels":["PUSH","SMS","EMAIL"],"priority":"HIGH","category":"transactional",
                 "content":{"title":"Order ready","body":"Your latte is ready at the counter","subject":"Your order is ready",
                            "text":"Your latte is ready.","html":"<p>Your <b>latte</b> is ready.</p>","url":"https://shop.example/o/42"}}"""
                .formatted(user, user));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(202);
        JsonNode items = sent.body().get("notifications");
        assertThat(items).hasSize(5);
        String iosId = ofChannel(items, "IOS:");
        String androidId = ofChannel(items, "ANDROID:");
        String webId = ofChannel(items, "WEB:");
        String smsId = ofChannel(items, "+14");
        String emailId = ofChannel(items, user.substring(0, 1) + "***@");

        Map<String, Reply> traces = new HashMap<>();
        for (String id : List.of(iosId, androidId, webId, smsId, emailId)) {
            Reply t = http.awaitStatus(id, "SENT");
            assertThat(t.text("status")).as(t.raw()).isEqualTo("SENT");
            assertThat(t.body().get("attempts").asInt()).isEqualTo(1);
            assertThat(t.body().get("events")).extracting(e -> e.get("status").asString()).containsExactly("QUEUED", "SENDING", "SENT");
            traces.put(id, t);
        }

        // APNs: token auth over TLS, apns-id is the notification id, the alert carries the content
        List<ReceivedApnsNotification> apns = APNS.received().stream().filter(n -> iosToken.equals(n.deviceToken())).toList();
        assertThat(apns).hasSize(1);
        ReceivedApnsNotification apnsRequest = apns.getFirst();
        assertThat(apnsRequest.header("apns-id")).isEqualToIgnoringCase(iosId);
        assertThat(apnsRequest.header("apns-topic")).isEqualTo(APNS_CREDENTIALS.topic());
        assertThat(apnsRequest.header("apns-priority")).isEqualTo("10");
        assertThat(apnsRequest.header("authorization")).startsWith("bearer ");
        JsonNode apnsPayload = Http.JSON.readTree(apnsRequest.payload());
        assertThat(apnsPayload.at("/aps/alert/title").asString()).isEqualTo("Order ready");
        assertThat(apnsPayload.at("/aps/alert/body").asString()).isEqualTo("Your latte is ready at the counter");
        assertThat(trackedTarget(http, apnsPayload.get("url").asString())).isEqualTo("https://shop.example/o/42");
        assertThat(traces.get(iosId).text("provider")).isEqualTo("apns");
        assertThat(traces.get(iosId).text("providerMessageId")).isEqualToIgnoringCase(iosId);

        // FCM: one OAuth2 grant signed with the generated service account, then the v1 message
        assertThat(FCM.tokenGrants()).isNotEmpty();
        List<SentFcmMessage> fcm = FCM.sentMessages().stream().filter(m -> androidToken.equals(m.message().path("token").asString("")))
                .toList();
        assertThat(fcm).hasSize(1);
        assertThat(fcm.getFirst().status()).isEqualTo(200);
        assertThat(fcm.getFirst().message().at("/notification/title").asString()).isEqualTo("Order ready");
        assertThat(fcm.getFirst().message().at("/notification/body").asString()).isEqualTo("Your latte is ready at the counter");
        assertThat(fcm.getFirst().message().at("/android/priority").asString()).isEqualTo("HIGH");
        assertThat(traces.get(androidId).text("provider")).isEqualTo("fcm");
        assertThat(traces.get(androidId).text("providerMessageId")).startsWith("projects/" + FCM_PROJECT + "/messages/");

        // Web Push: VAPID verified by the service, the body decrypted with the browser's private key
        List<ReceivedPush> pushes = PUSH.received().stream().filter(p -> p.subscriberId().equals(browser.id())).toList();
        assertThat(pushes).hasSize(1);
        JsonNode pushPayload = Http.JSON.readTree(pushes.getFirst().text());
        assertThat(pushPayload.get("id").asString()).isEqualTo(webId);
        assertThat(pushPayload.get("title").asString()).isEqualTo("Order ready");
        assertThat(pushPayload.get("body").asString()).isEqualTo("Your latte is ready at the counter");
        assertThat(trackedTarget(http, pushPayload.get("url").asString())).isEqualTo("https://shop.example/o/42");
        assertThat(pushes.getFirst().vapidClaims().get("sub")).isEqualTo("mailto:ops@herald.test");
        assertThat(traces.get(webId).text("provider")).isEqualTo("webpush");
        assertThat(traces.get(webId).text("providerMessageId")).startsWith(PUSH.origin() + "/message/");

        // SMTP: one message with both parts and the RFC 8058 headers
        List<ScriptedSmtpServer.Received> mails = mailTo(email);
        assertThat(mails).hasSize(1);
        MimeMessage mime = parse(mails.getFirst());
        assertThat(mime.getSubject()).isEqualTo("Your order is ready");
        assertThat(mime.getHeader("To", ",")).isEqualTo(email);
        assertThat(mime.getHeader("From", ",")).contains("noreply@herald.test");
        Map<String, String> bodyParts = parts(mime);
        assertThat(bodyParts.get("text/plain")).contains("Your latte is ready.");
        assertThat(bodyParts.get("text/html")).contains("<p>Your <b>latte</b> is ready.</p>");
        assertThat(mime.getHeader("List-Unsubscribe", ",")).matches("<http://localhost:8080/v1/unsubscribe/[^>]+>");
        assertThat(mime.getHeader("List-Unsubscribe-Post", ",")).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(traces.get(emailId).text("provider")).isEqualTo("smtp");
        assertThat(traces.get(emailId).text("providerMessageId")).isEqualTo(mime.getMessageID()).contains(emailId);

        // Twilio: the form Twilio documents, with our status callback
        List<FakeTwilioServer.Request> sms = TWILIO.requests().stream().filter(q -> "+14155550123".equals(q.form().get("To"))).toList();
        assertThat(sms).hasSize(1);
        assertThat(sms.getFirst().answeredStatus()).isEqualTo(201);
        assertThat(sms.getFirst().form()).containsEntry("Body", "Your latte is ready.")
                .containsEntry("From", TWILIO_FROM).containsEntry("StatusCallback", STATUS_CALLBACK);
        String messageSid = sms.getFirst().sid();
        assertThat(traces.get(smsId).text("provider")).isEqualTo("twilio");
        assertThat(traces.get(smsId).text("providerMessageId")).isEqualTo(messageSid);

        // Twilio's status callback: a forged one is refused and changes nothing, a signed one records delivery
        Map<String, String> delivered = new LinkedHashMap<>();
        delivered.put("AccountSid", TWILIO_SID);
        delivered.put("From", TWILIO_FROM);
        delivered.put("MessageSid", messageSid);
        delivered.put("MessageStatus", "delivered");
        delivered.put("SmsSid", messageSid);
        delivered.put("SmsStatus", "delivered");
        delivered.put("To", "+14155550123");
        String forged = new TwilioSignature("not-the-auth-token").computeSingle(STATUS_CALLBACK, delivered);
        Reply refused = twilioCallback(delivered, forged);
        assertThat(refused.status()).as(refused.raw()).isEqualTo(403);
        // signed with the right token but over another URL than the configured callback: also refused
        assertThat(twilioCallback(delivered, new TwilioSignature(TWILIO_TOKEN)
                .computeSingle("https://evil.example/v1/webhooks/twilio/status", delivered)).status()).isEqualTo(403);
        Reply still = http.call("GET", "/v1/notifications/" + smsId, Http.APP, null);
        assertThat(still.text("status")).isEqualTo("SENT");
        assertThat(still.body().get("events")).hasSize(3);

        Reply accepted = twilioCallback(delivered, new TwilioSignature(TWILIO_TOKEN).computeSingle(STATUS_CALLBACK, delivered));
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(204);
        Reply receipt = http.awaitStatus(smsId, "DELIVERED");
        assertThat(receipt.text("status")).as(receipt.raw()).isEqualTo("DELIVERED");
        assertThat(receipt.body().get("events")).extracting(e -> e.get("status").asString())
                .containsExactly("QUEUED", "SENDING", "SENT", "DELIVERED");

        // and once delivered, a forged "undelivered" cannot turn it into a failure
        Map<String, String> undelivered = new LinkedHashMap<>(delivered);
        undelivered.put("MessageStatus", "undelivered");
        undelivered.put("ErrorCode", "30005");
        assertThat(twilioCallback(undelivered, forged).status()).isEqualTo(403);
        assertThat(http.call("GET", "/v1/notifications/" + smsId, Http.APP, null).text("status")).isEqualTo("DELIVERED");
    }

    @Test
    void apnsUnregisteredFailsTheNotificationAndDeactivatesTheDevice() {
        Http http = http();
        String user = newUser();
        String token = apnsToken();
        assertThat(http.call("PUT", "/v1/users/" + user, Http.APP, "{}").status()).isEqualTo(201);
        Reply device = http.call("POST", "/v1/users/" + user + "/devices", Http.APP, """
                {"platform":"IOS","token":"%s"}""".formatted(token));
        assertThat(device.status()).isEqualTo(201);
        String deviceId = device.text("deviceId");
        // Apple says the app was uninstalled after the device registered with us
        Instant since = Instant.now().plusMillis(5);
        APNS.registerDevice(token).unregisterDevice(token, since);

        Reply sent = http.call("POST", "/v1/notifications", Http.APP, """
                {"eventId":"gone-%s","userId":"%s","channels":["PUSH"],"content":{"title":"Hi","body":"there"}}""".formatted(user, user));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(202);
        String id = sent.body().get("notifications").get(0).get("id").asString();

        Reply trace = http.awaitNotification(id, r -> "FAILED".equals(r.text("status")));
        assertThat(trace.text("status")).as(trace.raw()).isEqualTo("FAILED");
        assertThat(trace.text("reason")).isEqualTo("TOKEN_UNREGISTERED");
        assertThat(trace.text("provider")).isEqualTo("apns");
        JsonNode events = trace.body().get("events");
        assertThat(events.get(events.size() - 1).path("detail").asString("")).isEqualTo("APNs 410 Unregistered");
        assertThat(APNS.received().stream().filter(n -> token.equals(n.deviceToken())).count()).isEqualTo(1);

        Reply devices = http.call("GET", "/v1/users/" + user + "/devices", Http.APP, null);
        JsonNode d = devices.body().get("items").get(0);
        assertThat(d.get("deviceId").asString()).isEqualTo(deviceId);
        assertThat(d.get("active").asBoolean()).isFalse();
        assertThat(d.get("deactivatedAt")).isNotNull();

        // the next push finds no active device instead of calling Apple again
        Reply next = http.call("POST", "/v1/notifications", Http.APP, """
                {"eventId":"gone2-%s","userId":"%s","channels":["PUSH"],"content":{"title":"Hi","body":"again"}}""".formatted(user, user));
        assertThat(next.body().get("notifications").get(0).get("reason").asString()).as(next.raw()).isEqualTo("NO_RECIPIENT");
        assertThat(APNS.received().stream().filter(n -> token.equals(n.deviceToken())).count()).isEqualTo(1);
    }

    @Test
    void everyRealProviderIsCheckedOnceAtStartUp() {
        // the APNs TLS handshake (h2, the test CA), the FCM token grant and SMTP's EHLO, reported in the health details
        Reply health = Http.await(() -> http().call("GET", "/actuator/health/providers", null, null),
                h -> h.body() != null && !h.raw().contains("pending"));
        assertThat(health.status()).as(health.raw()).isEqualTo(200);
        JsonNode details = health.body().get("details");
        assertThat(details.get("apns").asString()).startsWith("ok: TLS ok with " + APNS.host() + ":" + APNS.port());
        assertThat(details.get("fcm").asString()).isEqualTo("ok: OAuth2 token granted by " + FCM.tokenUri());
        assertThat(details.get("smtp").asString()).isEqualTo("ok: EHLO ok, plain text");
        assertThat(details.get("webpush").asString()).startsWith("not checked");
        assertThat(details.get("twilio").asString()).startsWith("not checked");
    }

    @Test
    void oneClickUnsubscribeFromTheReceivedMailSuppressesTheNextMail() throws Exception {
        Http http = http();
        String user = newUser();
        String email = user + "@example.com";
        assertThat(http.call("PUT", "/v1/users/" + user, Http.APP, "{\"email\":\"%s\"}".formatted(email)).status()).isEqualTo(201);

        Reply first = http.call("POST", "/v1/notifications", Http.APP, """
                {"eventId":"news1-%s","userId":"%s","channels":["EMAIL"],"category":"social",
                 "content":{"subject":"Someone liked your post","text":"Ada liked your post."}}""".formatted(user, user));
        assertThat(first.status()).as(first.raw()).isEqualTo(202);
        String firstId = first.body().get("notifications").get(0).get("id").asString();
        assertThat(http.awaitStatus(firstId, "SENT").text("status")).isEqualTo("SENT");
        List<ScriptedSmtpServer.Received> mails = mailTo(email);
        assertThat(mails).hasSize(1);

        String header = parse(mails.getFirst()).getHeader("List-Unsubscribe", ",");
        assertThat(header).startsWith("<").endsWith(">");
        // the link names the configured public base URL; this server listens on a random port
        String path = URI.create(header.substring(1, header.length() - 1)).getRawPath();
        assertThat(path).startsWith("/v1/unsubscribe/");

        // a tampered token is refused
        assertThat(http.call("POST", path + "x", null, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded", Map.of())
                .status()).isEqualTo(404);

        // what a mail client does on "unsubscribe" (RFC 8058 section 3.2): POST, no credentials, no cookies
        Reply unsubscribed = http.call("POST", path, null, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded", Map.of());
        assertThat(unsubscribed.status()).as(unsubscribed.raw()).isEqualTo(200);
        assertThat(unsubscribed.body().get("unsubscribed").asBoolean()).isTrue();
        assertThat(unsubscribed.body().get("usersUpdated").asInt()).isEqualTo(1);

        Reply second = http.call("POST", "/v1/notifications", Http.APP, """
                {"eventId":"news2-%s","userId":"%s","channels":["EMAIL"],"category":"social",
                 "content":{"subject":"Someone else liked your post","text":"Grace liked your post."}}""".formatted(user, user));
        assertThat(second.status()).as(second.raw()).isEqualTo(202);
        String secondId = second.body().get("notifications").get(0).get("id").asString();
        Reply trace = http.awaitNotification(secondId, r -> !List.of("QUEUED", "SENDING").contains(r.text("status")));
        assertThat(trace.text("status")).as(trace.raw()).isEqualTo("SUPPRESSED");
        assertThat(trace.text("reason")).isEqualTo("OPTED_OUT");

        // the opt-out is for that category only: a transactional mail still goes out
        Reply receipt = http.call("POST", "/v1/notifications", Http.APP, """
                {"eventId":"tx-%s","userId":"%s","channels":["EMAIL"],"category":"transactional",
                 "content":{"subject":"Your receipt","text":"Thanks for your order."}}""".formatted(user, user));
        String receiptId = receipt.body().get("notifications").get(0).get("id").asString();
        assertThat(http.awaitStatus(receiptId, "SENT").text("status")).isEqualTo("SENT");
        assertThat(mailTo(email)).extracting(m -> parse(m).getSubject()).containsExactly("Someone liked your post", "Your receipt");
    }

    /** Push urls go out as tracked links (click tracking is on by default): the link leads to the url the app sent. */
    private static String trackedTarget(Http http, String url) {
        assertThat(url).contains("/t/c/");
        return http.call("GET", url.substring(url.indexOf("/t/c/")), null, null).headers().firstValue("Location").orElse(null);
    }
}
