package io.herald.server.process;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShellCommandsTest {

    @Test
    void wordsFollowQuotesContinuationsAndCommentsLikeBash() {
        String script = """
                # start it
                A=1 B='two words' ./run.sh
                curl -u x:y -X PUT localhost:8080/a \\
                     -d '{"k":"v",
                          "n":1}'
                echo "say \\"hi\\"" ''; echo done
                """;
        List<ShellCommands.Command> c = ShellCommands.parse(script);
        assertThat(c).extracting(ShellCommands.Command::words).containsExactly(
                List.of("A=1", "B=two words", "./run.sh"),
                List.of("curl", "-u", "x:y", "-X", "PUT", "localhost:8080/a", "-d", "{\"k\":\"v\",\n          \"n\":1}"),
                List.of("echo", "say \"hi\"", ""),
                List.of("echo", "done"));
        assertThat(c.get(1).text()).startsWith("curl -u").endsWith("\"n\":1}'").contains("\\\n");
        assertThat(c.get(0).text()).isEqualTo("A=1 B='two words' ./run.sh");
    }

    @Test
    void anUnterminatedQuoteIsAnError() {
        assertThatThrownBy(() -> ShellCommands.parse("curl -d '{\"a\":1}\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void findsTheBashBlockWithTheMarker() {
        String md = "x\n```bash\nls\n```\ntext\n```bash\n./herald.sh\ncurl a\n```\n";
        assertThat(ShellCommands.bashBlock(md, "./herald.sh")).isEqualTo("./herald.sh\ncurl a\n");
    }
}
