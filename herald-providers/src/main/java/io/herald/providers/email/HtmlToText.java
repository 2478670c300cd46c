package io.herald.providers.email;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives the text/plain alternative of an HTML email: drops head, script and style, turns block ends and
 * {@code <br>} into line breaks, keeps link targets as "label (url)", removes the remaining tags and decodes
 * entities. Good enough for notification templates; not a general HTML renderer. Stateless and thread-safe.
 */
public final class HtmlToText {

    private static final Pattern INVISIBLE = Pattern.compile("(?is)<(head|script|style|title)\\b.*?</\\1\\s*>|<!--.*?-->");
    private static final Pattern LINK = Pattern.compile("(?is)<a\\b[^>]*?href\\s*=\\s*([\"'])(.*?)\\1[^>]*>(.*?)</a\\s*>");
    private static final Pattern BREAK = Pattern.compile("(?i)<br\\s*/?>");
    private static final Pattern BLOCK_END = Pattern.compile("(?i)</(p|div|h[1-6]|tr|table|ul|ol|blockquote|pre)\\s*>|<hr\\s*/?>");
    private static final Pattern LIST_ITEM = Pattern.compile("(?i)<li\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);");

    private HtmlToText() {
    }

    public static String convert(String html) {
        if (html == null) return null;
        String s = INVISIBLE.matcher(html).replaceAll("");
        s = replaceLinks(s);
        s = s.replaceAll("\\s+", " "); // HTML whitespace is not significant; breaks come from the markup alone
        s = BREAK.matcher(s).replaceAll("\n");
        s = LIST_ITEM.matcher(s).replaceAll("\n- ");
        s = BLOCK_END.matcher(s).replaceAll("\n\n");
        s = TAG.matcher(s).replaceAll("");
        s = decodeEntities(s);
        s = s.replaceAll("[ \\t\\x{00A0}]*\\n[ \\t\\x{00A0}]*", "\n").replaceAll("\n{3,}", "\n\n");
        return s.strip();
    }

    private static String replaceLinks(String s) {
        Matcher m = LINK.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String href = m.group(2).strip();
            String label = TAG.matcher(m.group(3)).replaceAll("").strip();
            String text = label.isEmpty() || label.equals(href) || href.startsWith("#") ? label : label + " (" + href + ")";
            m.appendReplacement(out, Matcher.quoteReplacement(text));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String decodeEntities(String s) {
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String decoded = switch (name) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                case "nbsp" -> " ";
                default -> numeric(name);
            };
            m.appendReplacement(out, Matcher.quoteReplacement(decoded != null ? decoded : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String numeric(String name) {
        if (!name.startsWith("#")) return null;
        boolean hex = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X');
        int cp = Integer.parseInt(name.substring(hex ? 2 : 1), hex ? 16 : 10);
        return Character.isValidCodePoint(cp) ? Character.toString(cp) : null;
    }
}
