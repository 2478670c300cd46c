package io.herald.server.process;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a bash snippet (as in a README code block) into commands and their words, the way the shell would for the
 * simple cases documentation uses: single and double quotes (which may span lines), backslash-newline
 * continuations, comments. No expansions: a documented command is expected to be literal.
 *
 * @see Command#text() the command as written, to hand to bash itself
 */
final class ShellCommands {

    record Command(String text, List<String> words) {
    }

    private ShellCommands() {
    }

    static List<Command> parse(String script) {
        List<Command> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        int start = 0;
        char quote = 0;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (quote == '\'') {
                if (c == '\'') quote = 0;
                else
                    word.append(c);
            } else if (quote == '"') {
                if (c == '"') quote = 0;
                else if (c == '\\' && i + 1 < script.length() && "\"\\$`\n".indexOf(script.charAt(i + 1)) >= 0) {
                    char next = script.charAt(++i);
                    if (next != '\n') word.append(next);
                } else
                    word.append(c);
            } else if (c == '\\' && i + 1 < script.length()) {
                char next = script.charAt(++i);
                if (next != '\n') {
                    if (word == null) word = new StringBuilder();
                    word.append(next);
                }
            } else if (c == '#' && word == null) {
                while (i + 1 < script.length() && script.charAt(i + 1) != '\n') i++;
            } else if (c == '\n' || c == ';') {
                if (word != null) words.add(word.toString());
                word = null;
                if (!words.isEmpty()) commands.add(new Command(script.substring(start, i).strip(), List.copyOf(words)));
                words.clear();
                start = i + 1;
            } else if (Character.isWhitespace(c)) {
                if (word != null) words.add(word.toString());
                word = null;
                if (words.isEmpty()) start = i + 1;
            } else {
                if (word == null) word = new StringBuilder();
                if (c == '\'' || c == '"') quote = c;
                else
                    word.append(c);
            }
        }
        if (quote != 0) throw new IllegalArgumentException("unterminated quote in: " + script.substring(start));
        if (word != null) words.add(word.toString());
        if (!words.isEmpty()) commands.add(new Command(script.substring(start).strip(), List.copyOf(words)));
        return commands;
    }

    /** The first fenced ```bash block of a Markdown text that contains {@code marker}. */
    static String bashBlock(String markdown, String marker) {
        int from = 0;
        while (true) {
            int open = markdown.indexOf("```bash\n", from);
            if (open < 0) throw new IllegalArgumentException("no ```bash block containing " + marker);
            int body = open + "```bash\n".length();
            int close = markdown.indexOf("\n```", body);
            String block = markdown.substring(body, close + 1);
            if (block.contains(marker)) return block;
            from = close + 4;
        }
    }
}
