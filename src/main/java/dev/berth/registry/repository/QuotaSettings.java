package dev.berth.registry.repository;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code berth.quotas}: storage limits per namespace (see {@link Quotas}); none by default.
 *
 * @param quotas the limits, at most one per namespace
 */
@ConfigurationProperties("berth")
public record QuotaSettings(List<Quota> quotas) {

    public QuotaSettings {
        quotas = quotas == null ? List.of() : List.copyOf(quotas);
    }

    /**
     * @param namespace a repository name's first path component ({@code team} for {@code team/app})
     * @param maxBytes  the most its repositories may store together, such as {@code 10GB}
     */
    public record Quota(String namespace, DataSize maxBytes) {
    }
}
