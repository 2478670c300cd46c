package io.herald.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class OptionsTest {

    @Test
    void sendsCarryInlineContentUnlessATemplateIsAskedFor() {
        assertThat(Options.parse(new String[]{"single", "--app", "k:s"}).operator()).isNull();
        assertThat(Options.parse(new String[]{"single", "--app", "k:s", "--template", "off"}).operator()).isNull();
        assertThat(Options.parse(new String[]{"batch", "--app", "k:s", "--template", "on", "--operator", "ops:pw"}).operator())
                .isEqualTo("ops:pw");
    }

    @Test
    void aTemplateNeedsAnOperatorAndAScenarioThatSendsIt() {
        assertThatThrownBy(() -> Options.parse(new String[]{"single", "--app", "k:s", "--template", "yes"}))
                .hasMessageContaining("on or off");
        assertThatThrownBy(() -> Options.parse(new String[]{"audience", "--app", "k:s", "--template", "on", "--operator", "o:p"}))
                .hasMessageContaining("single, batch and steady");
        assumeTrue(System.getenv("HERALD_BOOTSTRAP_ADMIN") == null, "the environment names an operator");
        assertThatThrownBy(() -> Options.parse(new String[]{"single", "--app", "k:s", "--template", "on"}))
                .hasMessageContaining("--operator");
    }
}
