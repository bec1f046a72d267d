package dev.berth.registry;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything an operator can set under {@code berth.*} (see config/application.yml).
 *
 * @param dataDir  where blobs, staged uploads and the embedded database live
 * @param uploads  upload session settings
 * @param manifests manifest settings
 * @param listing  page sizes of tag lists and the catalog
 * @param storage  limits of the data directory's file system
 */
@ConfigurationProperties("berth")
public record RegistryProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue Uploads uploads,
        @DefaultValue Manifests manifests,
        @DefaultValue Listing listing,
        Storage storage) {

    public RegistryProperties {
        // Not @DefaultValue: Boot cannot make a default of a record whose one component has none.
        storage = storage != null ? storage : new Storage(null);
    }

    /**
     * @param expireAfter   an upload untouched this long is cancelled and its staged bytes removed
     * @param purgeInterval how often stale uploads are looked for
     * @param minChunkLength sent as {@code OCI-Chunk-Min-Length} when above zero
     * @param minRate       a request body (blob or manifest) must arrive at least this fast, per second,
     * @param minRateWindow averaged over this long, or it is dropped and its bytes taken back
     */
    public record Uploads(
            @DefaultValue("24h") Duration expireAfter,
            @DefaultValue("10m") Duration purgeInterval,
            @DefaultValue("0B") DataSize minChunkLength,
            @DefaultValue("1KB") DataSize minRate,
            @DefaultValue("60s") Duration minRateWindow) {
    }

    /** @param maxSize larger manifests are refused with 413 */
    public record Manifests(@DefaultValue("4MB") DataSize maxSize) {
    }

    /**
     * @param defaultPageSize entries returned when the client gives no {@code n}
     * @param maxPageSize     the most entries one response holds
     */
    public record Listing(@DefaultValue("1000") int defaultPageSize, @DefaultValue("1000") int maxPageSize) {
    }

    /**
     * @param minFreeSpace upload bytes are refused (507) rather than leave less than this free on the
     *                     data directory's file system, so the database can always commit; null: the
     *                     smaller of 1 GiB and 5% of that file system
     */
    public record Storage(DataSize minFreeSpace) {
    }
}
