package io.herald.providers.email;

import io.herald.core.model.Reason;
import io.herald.core.provider.SendResult;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps what Angus Mail threw to a {@link SendResult}. SMTP reply classes (RFC 5321 section 4.2.1): 5yz is a
 * permanent refusal, 4yz a transient one. Angus reports a refused RCPT as a SendFailedException whose chain holds
 * an {@link SMTPAddressFailedException}, and a refused MAIL FROM or DATA as an {@link SMTPSendFailedException}.
 */
final class SmtpFailures {

    /** Enhanced status code (RFC 3463), e.g. "5.1.1", at the start of the reply text. */
    private static final Pattern ENHANCED = Pattern.compile("\\b([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");

    private SmtpFailures() {
    }

    static SendResult classify(MessagingException e) {
        if (e instanceof AuthenticationFailedException) {
            // a configuration problem, not this message's: retry so nothing is lost while credentials are fixed
            return SendResult.failed("smtp: authentication failed: " + e.getMessage());
        }
        for (Exception cur = e; cur != null; cur = cur instanceof MessagingException m ? m.getNextException() : null) {
            if (cur instanceof SMTPAddressFailedException a) return classify(a.getReturnCode(), a.getMessage(), true);
            if (cur instanceof SMTPSendFailedException s) return classify(s.getReturnCode(), s.getMessage(), false);
        }
        return SendResult.failed("smtp: " + describe(e));
    }

    private static SendResult classify(int code, String reply, boolean atRecipient) {
        String detail = "smtp " + code + ": " + oneLine(reply);
        if (code < 500) return SendResult.failed(detail);
        return SendResult.rejected(unknownMailbox(code, reply, atRecipient)
                ? Reason.INVALID_RECIPIENT
                : Reason.PROVIDER_REJECTED, detail);
    }

    /**
     * X.1.Y enhanced codes are addressing problems (5.1.1 bad mailbox, 5.1.2 bad domain, 5.1.10 null MX); X.7.Y are
     * policy (spam, relaying denied, auth) and say nothing about the mailbox. Without an enhanced code, a 550, 551 or
     * 553 at RCPT is taken as "no such mailbox".
     */
    private static boolean unknownMailbox(int code, String reply, boolean atRecipient) {
        Matcher m = ENHANCED.matcher(reply == null ? "" : reply);
        if (m.find()) return "1".equals(m.group(2));
        return atRecipient && (code == 550 || code == 551 || code == 553);
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = oneLine(e.getMessage());
        return root == e ? msg : msg + " (" + root.getClass().getSimpleName() + ": " + oneLine(root.getMessage()) + ")";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s+", " ");
    }
}
