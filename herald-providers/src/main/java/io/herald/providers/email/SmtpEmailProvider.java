package io.herald.providers.email;

import io.herald.core.model.Channel;
import io.herald.core.model.Reason;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.net.URI;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Sends email over SMTP with Jakarta Mail (Angus), through a small pool of connected transports.
 *
 * <p>Each message is multipart/alternative (text, then HTML, so clients that can show HTML prefer it, RFC 2046
 * section 5.1.4) or plain text alone; the text part is derived from the HTML when only HTML is given. The From
 * address is chosen per app; the Message-ID embeds the notification id, stays the same across retries, and is the
 * provider message id that bounces can be matched against. With {@link UnsubscribeLinks} the message carries
 * {@code List-Unsubscribe} and {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click} (RFC 8058).
 *
 * <p>Outcomes: {@link SendResult.Accepted} once the server accepted DATA (250); {@link SendResult.Rejected} for a 5xx
 * reply ({@link Reason#INVALID_RECIPIENT} when the mailbox does not exist, else {@link Reason#PROVIDER_REJECTED})
 * or an unparseable address; {@link SendResult.Failed} for 4xx replies, connection and TLS errors, timeouts and
 * failed authentication. A connection that saw any error is closed rather than reused.
 *
 * <p>Thread-safe; {@link #close()} closes the pooled connections.
 */
public final class SmtpEmailProvider implements ChannelProvider, AutoCloseable {

    private final FromAddresses from;
    private final UnsubscribeLinks unsubscribe;
    private final Session session;
    private final SmtpTransportPool pool;

    public SmtpEmailProvider(SmtpSettings settings, FromAddresses from, UnsubscribeLinks unsubscribe) {
        Objects.requireNonNull(settings, "settings");
        this.from = Objects.requireNonNull(from, "from");
        this.unsubscribe = unsubscribe == null ? UnsubscribeLinks.NONE : unsubscribe;
        String protocol = settings.security() == SmtpSecurity.SMTPS ? "smtps" : "smtp";
        this.session = Session.getInstance(sessionProperties(settings, protocol));
        this.pool = new SmtpTransportPool(session, settings, protocol);
    }

    @Override
    public String name() {
        return "smtp";
    }

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }

    @Override
    public SendResult send(OutboundMessage message) {
        if (!(message.target() instanceof Target.Email email)) {
            return SendResult.rejected(Reason.INVALID_RECIPIENT, "smtp: not an email target");
        }
        MimeMessage mime;
        try {
            mime = build(message, email);
        } catch (AddressException e) {
            return SendResult.rejected(Reason.INVALID_RECIPIENT, "smtp: invalid address: " + e.getMessage());
        } catch (MessagingException e) {
            return SendResult.rejected(Reason.PROVIDER_REJECTED, "smtp: cannot build the message: " + e.getMessage());
        }
        SmtpTransportPool.Lease lease = null;
        boolean reusable = false;
        try {
            lease = pool.borrow();
            if (lease == null) return SendResult.failed("smtp: no connection became free in time");
            lease.transport.sendMessage(mime, mime.getAllRecipients());
            reusable = true;
            return SendResult.accepted(mime.getMessageID());
        } catch (MessagingException e) {
            return SmtpFailures.classify(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.failed("smtp: interrupted");
        } finally {
            if (lease != null) pool.release(lease, reusable);
        }
    }

    /** Connections opened since start; with a warm pool this grows far slower than the number of messages. */
    public long connectionsOpened() {
        return pool.connectionsOpened();
    }

    @Override
    public void close() {
        pool.close();
    }

    private MimeMessage build(OutboundMessage message, Target.Email email) throws MessagingException {
        InternetAddress sender = from.forApp(message.appId());
        MimeMessage mime = new IdentifiedMimeMessage(session, messageId(message, sender));
        mime.setFrom(sender);
        mime.setRecipient(Message.RecipientType.TO, new InternetAddress(email.address(), true));
        mime.setSubject(message.content().subject(), "UTF-8");
        mime.setSentDate(new Date());
        Optional<URI> link = unsubscribe.oneClickUrl(
                UnsubscribeScope.ofAddress(message.appId(), email.address(), message.category()));
        if (link.isPresent()) {
            mime.setHeader("List-Unsubscribe", "<" + link.get() + ">");
            mime.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        EmailBody body = EmailBody.of(message.content());
        if (body.html() == null) {
            mime.setText(body.text(), "UTF-8", "plain");
        } else {
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(part(body.text(), "plain"));
            alternative.addBodyPart(part(body.html(), "html"));
            mime.setContent(alternative);
        }
        mime.saveChanges();
        return mime;
    }

    private static MimeBodyPart part(String content, String subtype) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(content, "UTF-8", subtype);
        return part;
    }

    /** {@code <herald.{notification id}@{From domain}>}: unique per notification, the same on every attempt. */
    static String messageId(OutboundMessage message, InternetAddress sender) {
        String address = sender.getAddress();
        String domain = address.substring(address.lastIndexOf('@') + 1);
        return "<herald." + message.id() + "@" + domain + ">";
    }

    private static Properties sessionProperties(SmtpSettings s, String protocol) {
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.put(p + "host", s.host());
        props.put(p + "port", Integer.toString(s.port()));
        props.put(p + "auth", Boolean.toString(s.authenticates()));
        props.put(p + "connectiontimeout", Long.toString(s.connectTimeout().toMillis()));
        props.put(p + "timeout", Long.toString(s.readTimeout().toMillis()));
        props.put(p + "writetimeout", Long.toString(s.readTimeout().toMillis()));
        // check the certificate names the host (RFC 6125), unless the operator chose to trust given hosts blindly
        props.put(p + "ssl.checkserveridentity", Boolean.toString(s.sslTrust() == null));
        switch (s.security()) {
            case STARTTLS_OPTIONAL -> props.put(p + "starttls.enable", "true");
            case STARTTLS_REQUIRED -> {
                props.put(p + "starttls.enable", "true");
                props.put(p + "starttls.required", "true");
            }
            case SMTPS -> props.put(p + "ssl.enable", "true");
            case OFF -> {
            }
        }
        if (s.sslTrust() != null) props.put(p + "ssl.trust", s.sslTrust());
        return props;
    }

    /** Keeps our Message-ID: MimeMessage.saveChanges() would otherwise replace it with a random one. */
    private static final class IdentifiedMimeMessage extends MimeMessage {
        private final String id;

        IdentifiedMimeMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", id);
        }
    }
}
