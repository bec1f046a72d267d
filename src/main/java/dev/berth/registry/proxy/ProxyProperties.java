package dev.berth.registry.proxy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code berth.proxy.*} (see config/application.yml): the upstream registries this
 * server caches. None by default.
 */
@ConfigurationProperties("berth.proxy")
public record ProxyProperties(@DefaultValue List<Upstream> upstreams) {

    /**
     * @param name                  the first path component the upstream's repositories are served under
     *                              ({@code dockerhub} serves {@code dockerhub/library/busybox})
     * @param url                   the upstream's registry API, {@code https://} or {@code http://}
     * @param username              for the upstream's Basic or Bearer challenge; none: anonymous
     * @param password              with username (or passwordFile)
     * @param passwordFile          a file holding the password, read at start-up
     * @param mirror                to answer names without a prefix too, as docker's registry-mirrors asks (at most one upstream; see MirroredNames)
     * @param manifestCheckInterval a cached tag is checked upstream again at most this often
     * @param maxConnections        upstream requests at once
     * @param maxBytes              past this, the least recently pulled cached manifests go (CacheEviction)
     * @param timeout               how long an upstream may keep a request waiting for an answer
     */
    public record Upstream(
            String name,
            URI url,
            String username,
            String password,
            Path passwordFile,
            @DefaultValue("false") boolean mirror,
            @DefaultValue("10m") Duration manifestCheckInterval,
            @DefaultValue("8") int maxConnections,
            @DefaultValue("50GB") DataSize maxBytes,
            @DefaultValue("30s") Duration timeout) {

        @Override
        public String toString() {
            // Never the password.
            return "upstream " + name + " (" + url + ")";
        }
    }
}
