package io.herald.postgres.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class KernelWritebackTest {

    @TempDir
    Path dir;

    private Path vm(String bytes, String ratio) throws IOException {
        Path vm = Files.createDirectories(dir.resolve("vm"));
        Files.writeString(vm.resolve("dirty_background_bytes"), bytes + "\n");
        Files.writeString(vm.resolve("dirty_background_ratio"), ratio + "\n");
        return vm;
    }

    private Path meminfo(long kb) throws IOException {
        return Files.writeString(dir.resolve("meminfo"), "MemTotal:       " + kb + " kB\nMemFree:        1000 kB\n");
    }

    @Test
    void theDefaultRatioOfALargeMachineGetsTheAdvice() throws IOException {
        assertThat(KernelWriteback.advice(vm("0", "10"), meminfo(24L << 20)))
                .hasValueSatisfying(a -> assertThat(a).contains("2457 MB").contains("vm.dirty_background_ratio=10 of 24 GB")
                        .contains("vm.dirty_background_bytes=67108864"));
    }

    @Test
    void aSmallThresholdGetsNone() throws IOException {
        assertThat(KernelWriteback.advice(vm("67108864", "0"), meminfo(24L << 20))).isEmpty();
        // 10% of 2 GB is 205 MB: under the limit
        assertThat(KernelWriteback.advice(vm("0", "10"), meminfo(2L << 20))).isEmpty();
    }

    @Test
    void aLargeByteThresholdGetsTheAdviceAndUnreadableFilesNone() throws IOException {
        assertThat(KernelWriteback.advice(vm("1073741824", "0"), meminfo(1))).hasValueSatisfying(a -> assertThat(a).contains("1024 MB"));
        assertThat(KernelWriteback.advice(dir.resolve("absent"), dir.resolve("absent-too"))).isEmpty();
    }
}
