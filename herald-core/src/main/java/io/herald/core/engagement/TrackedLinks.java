package io.herald.core.engagement;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which links of a notification are tracked, and how they are rewritten. Link 0 is the push/in-app {@code url};
 * links 1..n are the http(s) {@code href}s of the email html in document order. The same function numbers the links
 * when rewriting (at delivery) and when redirecting (from the stored, unrewritten content), so a token's index always
 * names the URL Herald rewrote and nothing else.
 */
public final class TrackedLinks {

    private static final Pattern HREF = Pattern.compile("(<a\\b[^>]*?\\bhref\\s*=\\s*)([\"'])(https?://[^\"'<>\\s]+)\\2",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern BODY_END = Pattern.compile("</body\\s*>", Pattern.CASE_INSENSITIVE);

    private final TrackingTokens tokens;
    private final String baseUrl;

    public TrackedLinks(TrackingTokens tokens, String baseUrl) {
        this.tokens = tokens;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** The URL a link index stands for in stored content, unescaped as a browser would read the attribute. */
    public Optional<String> target(Channel channel, Content content, int index) {
        if (content == null) return Optional.empty();
        if (index == 0) return channel == Channel.EMAIL ? Optional.empty() : Optional.ofNullable(content.url()).filter(this::trackable);
        if (channel != Channel.EMAIL || content.html() == null) return Optional.empty();
        List<String> links = hrefs(content.html());
        return index <= links.size() ? Optional.of(unescape(links.get(index - 1))) : Optional.empty();
    }

    /** Content as sent: the push url or the email links through {@code /t/c/...}, and an open pixel in the email html. */
    public Content rewrite(Channel channel, UUID notificationId, Content c) {
        if (c == null) return null;
        return switch (channel) {
            case PUSH -> c.url() == null || !trackable(c.url())
                    ? c
                    : new Content(c.title(), c.body(), c.subject(), c.html(), c.text(), click(notificationId, 0), c.data());
            case EMAIL -> c.html() == null
                    ? c
                    : new Content(c.title(), c.body(), c.subject(), rewriteHtml(notificationId, c.html()), c.text(), c.url(), c.data());
            default -> c;
        };
    }

    private String rewriteHtml(UUID id, String html) {
        Matcher m = HREF.matcher(html);
        StringBuilder out = new StringBuilder(html.length() + 256);
        int index = 0;
        while (m.find()) {
            index++;
            // links to Herald itself (unsubscribe) keep working as they are
            String url = trackable(m.group(3)) && index <= 0xFFFF ? click(id, index) : m.group(3);
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + m.group(2) + url + m.group(2)));
        }
        m.appendTail(out);
        String pixel = "<img src=\"" + baseUrl + "/t/o/" + tokens.sign(new TrackingTokens.Link(TrackingTokens.Kind.OPEN, id, 0))
                + "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none;border:0\">";
        Matcher end = BODY_END.matcher(out);
        if (end.find()) return out.insert(end.start(), pixel).toString();
        return out.append(pixel).toString();
    }

    private String click(UUID id, int index) {
        return baseUrl + "/t/c/" + tokens.sign(new TrackingTokens.Link(TrackingTokens.Kind.CLICK, id, index));
    }

    private boolean trackable(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        return (lower.startsWith("https://") || lower.startsWith("http://")) && !url.startsWith(baseUrl + "/");
    }

    private static List<String> hrefs(String html) {
        List<String> links = new ArrayList<>();
        Matcher m = HREF.matcher(html);
        while (m.find()) links.add(m.group(3));
        return links;
    }

    private static String unescape(String attribute) {
        return attribute.replace("&amp;", "&").replace("&#38;", "&").replace("&quot;", "\"").replace("&#39;", "'");
    }
}
