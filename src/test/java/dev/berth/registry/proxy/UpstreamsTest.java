package dev.berth.registry.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.RepositoryName;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

class UpstreamsTest {

    @TempDir
    Path tmp;

    private static ProxyProperties.Upstream upstream(String name, String url, boolean mirror) {
        return new ProxyProperties.Upstream(name, url == null ? null : URI.create(url), null, null, null, mirror,
                Duration.ofMinutes(10), 8, DataSize.ofGigabytes(50), Duration.ofSeconds(30));
    }

    @Test
    void aNameUnderAnUpstreamsPrefixIsTheUpstreamsRepository() {
        Upstreams upstreams = new Upstreams(new ProxyProperties(List.of(upstream("dockerhub", "https://registry-1.docker.io", false),
                upstream("ghcr", "https://ghcr.io", false))));

        Upstreams.ProxiedRepository busybox = upstreams.route(RepositoryName.of("dockerhub/library/busybox")).orElseThrow();
        assertThat(busybox.upstream().name()).isEqualTo("dockerhub");
        assertThat(busybox.upstreamName()).isEqualTo(RepositoryName.of("library/busybox"));
        assertThat(busybox.localName()).isEqualTo(RepositoryName.of("dockerhub/library/busybox"));
        assertThat(upstreams.route(RepositoryName.of("ghcr/owner/tool")).orElseThrow().upstream().settings().url())
                .isEqualTo(URI.create("https://ghcr.io"));
        assertThat(upstreams.isProxied(RepositoryName.of("team/app"))).isFalse();
        assertThat(upstreams.isProxied(RepositoryName.of("dockerhub"))).as("the prefix alone is no upstream repository").isFalse();
        assertThat(upstreams.isProxied(RepositoryName.of("dockerhubx/a"))).isFalse();
    }

    @Test
    void theMirrorCachesANameWithoutAPrefixUnderItsOwnPrefix() {
        Upstreams upstreams = new Upstreams(new ProxyProperties(List.of(upstream("dockerhub", "https://registry-1.docker.io", true),
                upstream("ghcr", "https://ghcr.io", false))));

        assertThat(upstreams.mirrored(RepositoryName.of("library/busybox"))).contains(RepositoryName.of("dockerhub/library/busybox"));
        assertThat(upstreams.mirrored(RepositoryName.of("busybox"))).contains(RepositoryName.of("dockerhub/busybox"));
        assertThat(upstreams.mirrored(RepositoryName.of("ghcr/owner/tool"))).as("already an upstream's name").isEmpty();
        assertThat(upstreams.mirrored(RepositoryName.of("dockerhub/library/busybox"))).isEmpty();
        assertThat(upstreams.mirrored(RepositoryName.of("a/" + "b".repeat(250)))).as("too long with the prefix").isEmpty();

        Upstreams noMirror = new Upstreams(new ProxyProperties(List.of(upstream("ghcr", "https://ghcr.io", false))));
        assertThat(noMirror.mirrored(RepositoryName.of("library/busybox"))).isEmpty();
    }

    @Test
    void noUpstreamsByDefault() {
        Upstreams none = new Upstreams(new ProxyProperties(List.of()));
        assertThat(none.all()).isEmpty();
        assertThat(none.isProxied(RepositoryName.of("dockerhub/library/busybox"))).isFalse();
    }

    @Test
    void badSettingsStopTheServerWithAMessageNamingTheUpstream() {
        assertThatThrownBy(() -> new Upstreams(new ProxyProperties(List.of(upstream("Docker/Hub", "https://x.example", false)))))
                .hasMessageContaining("upstream Docker/Hub").hasMessageContaining("one lower-case path component");
        assertThatThrownBy(() -> new Upstreams(new ProxyProperties(List.of(upstream("a", null, false)))))
                .hasMessageContaining("url is missing");
        assertThatThrownBy(() -> new Upstreams(new ProxyProperties(List.of(upstream("a", "ftp://x.example", false)))))
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> new Upstreams(new ProxyProperties(List.of(upstream("a", "https://x.example", false),
                upstream("a", "https://y.example", false))))).hasMessageContaining("its name is used");
        assertThatThrownBy(() -> new Upstreams(new ProxyProperties(List.of(upstream("a", "https://x.example", true),
                upstream("b", "https://y.example", true))))).hasMessageContaining("upstream b").hasMessageContaining("at most one upstream is the mirror");
        assertThatThrownBy(() -> new Upstreams(new ProxyProperties(List.of(new ProxyProperties.Upstream("a", URI.create("https://x.example"),
                "me", null, null, false, Duration.ofMinutes(1), 8, DataSize.ofGigabytes(1), Duration.ofSeconds(1))))))
                .hasMessageContaining("needs password or password-file");
        assertThatThrownBy(() -> new Upstreams(new ProxyProperties(List.of(new ProxyProperties.Upstream("a", URI.create("https://x.example"),
                null, "secret", null, false, Duration.ofMinutes(1), 8, DataSize.ofGigabytes(1), Duration.ofSeconds(1))))))
                .hasMessageContaining("a password needs a username").hasMessageNotContaining("secret");
    }

    @Test
    void aPasswordFileIsReadAtStartUp() throws Exception {
        Path file = Files.writeString(tmp.resolve("password"), "s3cret\n");
        Upstreams upstreams = new Upstreams(new ProxyProperties(List.of(new ProxyProperties.Upstream("hub", URI.create("https://x.example"),
                "me", null, file, false, Duration.ofMinutes(1), 8, DataSize.ofGigabytes(1), Duration.ofSeconds(1)))));
        assertThat(upstreams.all()).hasSize(1);
        assertThat(upstreams.all().get(0).settings().toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> new Upstreams(new ProxyProperties(List.of(new ProxyProperties.Upstream("hub", URI.create("https://x.example"),
                "me", null, tmp.resolve("missing"), false, Duration.ofMinutes(1), 8, DataSize.ofGigabytes(1), Duration.ofSeconds(1))))))
                .hasMessageContaining("cannot read password-file");
    }
}
