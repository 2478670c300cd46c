package io.herald.providers.sms;

import io.herald.core.model.Reason;
import io.herald.core.provider.SendResult;
import io.herald.testkit.sms.FakeTwilioServer;
import io.herald.testkit.sms.FakeTwilioServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** TwilioSmsProvider against a fake Twilio Messages API. */
class TwilioSmsProviderTest {

    private static final String SID = "AC00000000000000000000000000000001";
    private final FakeTwilioServer twilio = new FakeTwilioServer(SID, "token-1");
    private final TwilioSmsProvider provider = provider("token-1", "+15005550006", null);

    @AfterEach
    void close() {
        twilio.close();
    }

    private TwilioSmsProvider provider(String token, String from, String serviceSid) {
        return new TwilioSmsProvider(new TwilioSettings(twilio.baseUrl(), SID, token, from, serviceSid,
                URI.create("https://notify.example.com/v1/callbacks/twilio"), Duration.ofSeconds(5)));
    }

    @Test
    void closeReleasesTheProvidersOwnHttpClient() {
        TwilioSmsProvider own = provider("token-1", "+15005550006", null);
        assertThat(own.send(SmsTestMessages.sms("+14155550100", "before"))).isInstanceOf(SendResult.Accepted.class);
        own.close();
        // a closed client takes no new exchanges: the send fails without reaching Twilio
        assertThat(own.send(SmsTestMessages.sms("+14155550100", "after"))).isInstanceOf(SendResult.Failed.class);
        assertThat(twilio.requests()).hasSize(1);
    }

    @Test
    void postsTheFormWithBasicAuthAndReturnsTheMessageSid() {
        SendResult result = provider.send(SmsTestMessages.sms("+821012345678", "인증번호 123456 & more"));

        FakeTwilioServer.Request request = twilio.requests().getFirst();
        assertThat(request.answeredStatus()).isEqualTo(201);
        assertThat(result).as("its status callback reports by sid").isEqualTo(SendResult.acceptedWithReceipts(request.sid()));
        assertThat(request.sid()).startsWith("SM").hasSize(34);
        assertThat(request.form()).containsEntry("To", "+821012345678").containsEntry("From", "+15005550006")
                .containsEntry("Body", "인증번호 123456 & more")
                .containsEntry("StatusCallback", "https://notify.example.com/v1/callbacks/twilio")
                .doesNotContainKey("MessagingServiceSid");
    }

    @Test
    void aMessagingServiceReplacesFrom() {
        assertThat(provider("token-1", null, "MG00000000000000000000000000000001").send(SmsTestMessages.sms("+14155550100", "hi")))
                .isInstanceOf(SendResult.Accepted.class);
        assertThat(twilio.requests().getFirst().form())
                .containsEntry("MessagingServiceSid", "MG00000000000000000000000000000001").doesNotContainKey("From");
    }

    @Test
    void invalidAndUnreachableNumbersAreInvalidRecipients() {
        twilio.rejectRecipient("+14155550101", 21614, "'To' number is not a valid mobile number");
        assertThat(provider.send(SmsTestMessages.sms("+1415", "hi"))) // the fake answers 21211 for a non-E.164 'To'
                .isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(Reason.INVALID_RECIPIENT);
                    assertThat(r.detail()).contains("21211");
                });
        assertThat(provider.send(SmsTestMessages.sms("+14155550101", "hi")))
                .isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(Reason.INVALID_RECIPIENT);
                    assertThat(r.detail()).contains("21614");
                });
    }

    @Test
    void aCarrierOptOutAndOtherClientErrorsAreProviderRejections() {
        twilio.rejectRecipient("+14155550102", 21610, "Attempt to send to unsubscribed recipient");
        twilio.rejectRecipient("+14155550103", 21408, "Permission to send an SMS has not been enabled for the region");
        assertThat(provider.send(SmsTestMessages.sms("+14155550102", "hi"))).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.PROVIDER_REJECTED);
            assertThat(r.detail()).contains("opted out").contains("21610");
        });
        assertThat(provider.send(SmsTestMessages.sms("+14155550103", "hi"))).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.PROVIDER_REJECTED);
            assertThat(r.detail()).contains("21408");
        });
        assertThat(provider.send(SmsTestMessages.sms("+14155550104", ""))).isInstanceOfSatisfying(SendResult.Rejected.class,
                r -> assertThat(r.detail()).contains("21602"));
    }

    @Test
    void throttlingAndServerErrorsAreTransientHonouringRetryAfter() {
        twilio.enqueue(Reply.tooManyRequests(30));
        twilio.enqueue(Reply.serverError(503));
        assertThat(provider.send(SmsTestMessages.sms("+14155550100", "hi"))).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
            assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(30));
            assertThat(f.detail()).contains("20429");
        });
        assertThat(provider.send(SmsTestMessages.sms("+14155550100", "hi"))).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
            assertThat(f.retryAfter()).isNull();
            assertThat(f.detail()).startsWith("twilio 503");
        });
        assertThat(provider.send(SmsTestMessages.sms("+14155550100", "hi"))).isInstanceOf(SendResult.Accepted.class);
    }

    @Test
    void wrongCredentialsAreTransient() {
        assertThat(provider("wrong", "+15005550006", null).send(SmsTestMessages.sms("+14155550100", "hi")))
                .isInstanceOfSatisfying(SendResult.Failed.class, f -> assertThat(f.detail()).contains("401").contains("20003"));
    }

    @Test
    void serverDownIsTransient() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        TwilioSmsProvider down = new TwilioSmsProvider(new TwilioSettings(URI.create("http://127.0.0.1:" + closedPort),
                SID, "token-1", "+15005550006", null, null, Duration.ofSeconds(2)));
        assertThat(down.send(SmsTestMessages.sms("+14155550100", "hi"))).isInstanceOf(SendResult.Failed.class);
    }
}
