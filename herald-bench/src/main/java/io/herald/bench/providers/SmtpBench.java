package io.herald.bench.providers;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Priority;
import io.herald.core.model.Target;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.providers.email.FromAddresses;
import io.herald.providers.email.SmtpEmailProvider;
import io.herald.providers.email.SmtpSecurity;
import io.herald.providers.email.SmtpSettings;
import io.herald.providers.email.UnsubscribeLinks;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * SMTP: Herald's pooled {@link SmtpEmailProvider} versus a naive Jakarta Mail {@code Transport.send} that opens,
 * uses and closes one connection per message, both against one in-process GreenMail SMTP server on loopback.
 * Both build the same multipart/alternative message (same headers, same parts, explicit Message-ID) and are called
 * from a virtual thread per message with the same number in flight. Plain SMTP on loopback (no STARTTLS) for both:
 * with TLS every naive message would also pay a handshake, so this is the naive side's best case.
 */
final class SmtpBench implements AutoCloseable {

    static final String FROM = "Herald Bench <no-reply@herald.test>";
    static final String SUBJECT = "Your receipt for order #12345";
    static final String TEXT = "Thanks for your order #12345.\n\nTotal: 42.00 EUR\nIt ships on Thursday.\n";
    static final String HTML = "<html><body><h1>Thanks for your order #12345</h1><p>Total: <b>42.00 EUR</b></p>"
            + "<p>It ships on Thursday.</p></body></html>";
    private static final int RECIPIENTS = 10;

    private final ProviderBench.Options o;
    private final GreenMail greenMail;
    private final int port;
    private final SmtpEmailProvider herald;
    private final Session naiveSession;
    private final Content content = new Content(null, null, SUBJECT, HTML, TEXT, null, null);
    private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();

    SmtpBench(ProviderBench.Options o) {
        this.o = o;
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        port = greenMail.getSmtp().getPort();
        herald = new SmtpEmailProvider(new SmtpSettings("127.0.0.1", port, SmtpSecurity.OFF, null, null,
                Duration.ofSeconds(10), Duration.ofSeconds(30), o.smtpPool(), 0, null, null),
                FromAddresses.of(FROM), UnsubscribeLinks.NONE);
        Properties props = new Properties();
        // the same session properties SmtpEmailProvider sets for security OFF
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(port));
        props.put("mail.smtp.auth", "false");
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "30000");
        props.put("mail.smtp.writetimeout", "30000");
        props.put("mail.smtp.ssl.checkserveridentity", "true");
        naiveSession = Session.getInstance(props);
    }

    static String recipient(long seq) {
        return "user" + (seq % RECIPIENTS) + "@herald.test";
    }

    Load.Side heraldPooled() {
        return new Load.Side() {
            public String name() {
                return "herald-pooled";
            }

            public void issue(long seq, Load.Counters c, Semaphore done) {
                virtualThreads.execute(() -> {
                    try {
                        var message = new OutboundMessage(UUID.randomUUID(), 1, "bench", Channel.EMAIL,
                                new Target.Email(recipient(seq)), Priority.NORMAL, content, "transactional", null, 1);
                        SendResult result = herald.send(message);
                        if (result instanceof SendResult.Accepted) c.ok.increment();
                        else
                            c.error(result.toString());
                    } catch (RuntimeException e) {
                        c.error(e.toString());
                    } finally {
                        done.release();
                    }
                });
            }
        };
    }

    Load.Side naivePerMessage() {
        return new Load.Side() {
            public String name() {
                return "naive-per-message";
            }

            public void issue(long seq, Load.Counters c, Semaphore done) {
                virtualThreads.execute(() -> {
                    try {
                        MimeMessage mime = naiveMessage(recipient(seq));
                        Transport.send(mime); // connect, EHLO, MAIL/RCPT/DATA, QUIT, close
                        c.ok.increment();
                    } catch (MessagingException | RuntimeException e) {
                        c.error(e.toString());
                    } finally {
                        done.release();
                    }
                });
            }
        };
    }

    /** The message SmtpEmailProvider builds for the same content, built by hand. */
    private MimeMessage naiveMessage(String to) throws MessagingException {
        String id = "<naive." + UUID.randomUUID() + "@herald.test>";
        MimeMessage mime = new MimeMessage(naiveSession) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", id);
            }
        };
        mime.setFrom(new InternetAddress(FROM, true));
        mime.setRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
        mime.setSubject(SUBJECT, "UTF-8");
        mime.setSentDate(new Date());
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(TEXT, "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(HTML, "UTF-8", "html");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        mime.setContent(alternative);
        mime.saveChanges();
        return mime;
    }

    ProviderBench.Report run() throws Exception {
        ProviderBench.Report report = new ProviderBench.Report("smtp");
        Load.Side pooled = heraldPooled(), naive = naivePerMessage();
        ProviderBench.log("GreenMail SMTP on 127.0.0.1:%d, Herald pool %d, %d in flight, window %ss", port, o.smtpPool(),
                o.concurrency(), o.window().toMillis() / 1000.0);
        Load.warmUp(List.of(naive, pooled), o.concurrency(), o.warmupPass(), o.warmup(), this::purge);
        long opened0 = herald.connectionsOpened();
        long heraldMessages = 0;
        for (int round = 1; round <= o.rounds(); round++) {
            List<Load.Side> order = round % 2 == 1 ? List.of(naive, pooled) : List.of(pooled, naive);
            for (Load.Side side : order) {
                var r = Load.run(side, o.concurrency(), o.ramp(), o.window());
                purge(); // GreenMail keeps every message in memory
                if (side == pooled) heraldMessages += r.messages();
                report.add(round, r);
                ProviderBench.log("round %d %-18s %8.0f msgs/s  %6.1f us CPU/msg  errors %d %s", round, side.name(),
                        r.msgsPerSecond(), r.cpuMicrosPerMsg(), r.errors(), r.lastError() == null ? "" : r.lastError());
            }
        }
        long opened = herald.connectionsOpened() - opened0;
        ProviderBench.log("Herald opened %d SMTP connections for about %d measured messages", opened, heraldMessages);
        report.describe("naive-per-message", "Jakarta Mail Transport.send: one connection per message, " + o.concurrency() + " in flight");
        report.describe("herald-pooled", "SmtpEmailProvider.send on a virtual thread per message, pool of " + o.smtpPool()
                + " connections (100 messages each), " + o.concurrency() + " in flight");
        report.ratio("herald-pooled", "naive-per-message", 1.0);
        report.setting("smtpPool", o.smtpPool());
        report.setting("inFlight", o.concurrency());
        report.setting("windowSeconds", o.window().toMillis() / 1000.0);
        report.setting("heraldConnectionsOpened", opened);
        return report;
    }

    private void purge() {
        try {
            greenMail.purgeEmailFromAllMailboxes();
        } catch (Exception e) {
            ProviderBench.log("purge: %s", e);
        }
    }

    @Override
    public void close() {
        virtualThreads.shutdownNow();
        herald.close();
        greenMail.stop();
    }
}
